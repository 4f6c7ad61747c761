import { NOTIFICATION_HEADER } from '../mail.constants';
import { aParsedEmail } from '../testing';
import { detectLoop } from './loop.signals';

const options = { platformAddresses: ['no-reply@example.com'], aliasDomain: 'relay.example.com' };

describe('detectLoop', () => {
  it('recognises our notification header', () => {
    expect(detectLoop(aParsedEmail({ headers: { [NOTIFICATION_HEADER]: 'message' } }), options)).toBe(`carries our ${NOTIFICATION_HEADER} header`);
  });

  it('recognises mail from a platform address, case-insensitively', () => {
    expect(detectLoop(aParsedEmail({ from: { address: 'No-Reply@Example.com', name: '' } }), options)).toBe('sent from a platform address');
  });

  it('recognises mail from an address in the alias domain', () => {
    expect(detectLoop(aParsedEmail({ from: { address: 'jane-doe-k7q2m9x4p3r8t@RELAY.example.com', name: '' } }), options)).toBe('sent from the alias domain');
  });

  it('recognises an X-Loop header naming us', () => {
    expect(detectLoop(aParsedEmail({ headers: { 'X-Loop': 'jane@relay.example.com' } }), options)).toBe('X-Loop names one of our addresses');
  });

  it('lets a person’s reply through', () => {
    expect(detectLoop(aParsedEmail({ headers: { 'X-Loop': 'helpdesk@acme.example' } }), options)).toBeNull();
  });
});
