import { Principal } from '@libs/auth';
import { Actor, Requester, asActor } from '@libs/conversations';

export function actorOf(principal: Principal): Actor {
  return { accountId: principal.accountId, email: principal.email };
}

export function requesterOf(principal: Principal): Requester {
  return asActor(actorOf(principal));
}
