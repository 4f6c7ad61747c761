import { Injectable } from '@nestjs/common';
import { ICommand, IEvent, Saga, ofType } from '@nestjs/cqrs';
import { Observable, map } from 'rxjs';
import { ConversationEventRecorded } from '../events/conversation-event-recorded.event';
import { PublishConversationChangesCommand } from './publish-conversation-changes.command';

/**
 * Reacts to committed changes in-process. Nothing here is needed for correctness (the change
 * publisher also polls); it makes a local write reach Kafka without waiting for the next poll.
 */
@Injectable()
export class ConversationSagas {
  @Saga()
  changesCommitted = (events$: Observable<IEvent>): Observable<ICommand> =>
    events$.pipe(
      ofType(ConversationEventRecorded),
      map((recorded) => new PublishConversationChangesCommand(recorded.event.conversationId)),
    );
}
