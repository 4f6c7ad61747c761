import { MailgunTokenStore } from '../domain/mailgun-token-store.port';
import { act, Fault } from './fault';

export class InMemoryMailgunTokenStore implements MailgunTokenStore {
  readonly tokens = new Map<string, Date>();
  fault: Fault = 'none';

  claim(token: string, expiresAt: Date): Promise<boolean> {
    return act(this.fault, 'MongoDB', () => {
      if (this.tokens.has(token)) return false;
      this.tokens.set(token, expiresAt);
      return true;
    });
  }

  release(token: string): Promise<void> {
    return act(this.fault, 'MongoDB', () => void this.tokens.delete(token));
  }

  purgeExpired(now: Date): Promise<number> {
    return act(this.fault, 'MongoDB', () => {
      let removed = 0;
      for (const [token, expiresAt] of this.tokens) {
        if (expiresAt < now) {
          this.tokens.delete(token);
          removed += 1;
        }
      }
      return removed;
    });
  }
}
