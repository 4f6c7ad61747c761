import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection, Connection } from 'mongoose';
import { MessageRoutingContext, NewPathDecision, NotificationRouting, PlannedNotification } from '@libs/notifications';
import { LEGACY_CALL_QUEUE, LegacyCallQueue } from '../calls';
import { RolloutMode, RolloutRegistry } from '../rollout';
import { LEGACY_ROUTING_OPTIONS, LegacyRoutingOptions } from './legacy-routing.options';

interface RouteDocument {
  _id: string;
  conversationId: string;
  useCase: string | null;
  mode: RolloutMode;
  shadow: boolean;
  decidedAt: Date;
}

export interface ShadowPlanDocument {
  _id: string;
  conversationId: string;
  useCase: string;
  planned: PlannedNotification[];
  state: 'pending' | 'checked' | 'expired';
  dueAt: Date;
  attempts: number;
  createdAt: Date;
  match?: boolean;
  missing?: string[];
  extra?: string[];
  checkedAt?: Date;
}

const DUPLICATE_KEY = 11000;

/**
 * Suppress and parallel (DESIGN §5), the notifier's side. Per message, once:
 * - the conversation's rollout mode is read (use case, deterministic bucket of the conversation)
 *   and recorded under the message's key, so a redelivery after a flip follows the first
 *   decision and nothing is sent twice across systems;
 * - LEGACY_ONLY: the legacy system is asked to store it and notify (the new path skips, or only
 *   records what it would send when the use case is in shadow, for the parity report);
 * - PARALLEL: the legacy system stores it with `suppressNotification: true`, the new path sends;
 * - NEW_ONLY: no legacy call.
 * Legacy calls go through the durable call queue: a legacy outage never delays the new path.
 */
@Injectable()
export class LegacyNotificationRouting implements NotificationRouting {
  private readonly logger = new Logger(LegacyNotificationRouting.name);
  private readonly routes: Collection<RouteDocument>;
  private readonly shadows: Collection<ShadowPlanDocument>;

  constructor(
    @InjectConnection() connection: Connection,
    private readonly rollouts: RolloutRegistry,
    @Inject(LEGACY_CALL_QUEUE) private readonly calls: LegacyCallQueue,
    @Inject(LEGACY_ROUTING_OPTIONS) private readonly options: LegacyRoutingOptions,
  ) {
    this.routes = connection.collection<RouteDocument>('notification_routes');
    this.shadows = connection.collection<ShadowPlanDocument>('shadow_plans');
  }

  async routeMessage(context: MessageRoutingContext): Promise<NewPathDecision> {
    const route = await this.decide(context);
    // Messages that came from the legacy system are already there.
    if (route.mode !== 'NEW_ONLY' && context.message.source !== 'LEGACY') {
      const author = context.conversation.participants.find((p) => p.id === context.message.authorParticipantId);
      await this.calls.enqueue({
        kind: 'post-message',
        idempotencyKey: context.source,
        payload: {
          idempotencyKey: context.source,
          conversationId: context.conversation.id,
          useCase: context.conversation.useCase,
          subject: context.conversation.subject,
          message: {
            id: context.message.id,
            body: context.message.body,
            createdAt: context.message.createdAt,
            authorEmail: author?.email ?? '',
            authorDisplayName: author?.displayName ?? '',
            source: context.message.source,
          },
          participants: context.conversation.participants.map((p) => ({ email: p.email, displayName: p.displayName, role: p.role })),
          suppressNotification: route.mode === 'PARALLEL',
        },
      });
    }
    if (route.mode !== 'LEGACY_ONLY') return 'deliver';
    return route.shadow ? 'shadow' : 'skip';
  }

  async recordShadow(context: MessageRoutingContext, planned: PlannedNotification[]): Promise<void> {
    const now = new Date();
    try {
      await this.shadows.insertOne({
        _id: context.source,
        conversationId: context.conversation.id,
        useCase: useCaseKey(context.conversation.useCase),
        planned,
        state: 'pending',
        dueAt: new Date(now.getTime() + this.options.parityDelayMs),
        attempts: 0,
        createdAt: now,
      });
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
    }
  }

  async endReminders(input: { key: string; conversationId: string; useCase: string | null; participantEmail: string; reason: 'read' | 'reply' }): Promise<void> {
    // While the legacy system is live for this conversation, its reminders end too.
    if (this.rollouts.modeFor(input.useCase, input.conversationId) === 'NEW_ONLY') return;
    await this.calls.enqueue({
      kind: 'cancel-reminders',
      idempotencyKey: input.key,
      payload: { idempotencyKey: input.key, conversationId: input.conversationId, participantEmail: input.participantEmail, reason: input.reason },
    });
  }

  /** Inserted once under the message's key; a redelivery finds the first decision there. */
  private async decide(context: MessageRoutingContext): Promise<{ mode: RolloutMode; shadow: boolean }> {
    const useCase = context.conversation.useCase;
    const route: RouteDocument = {
      _id: context.source,
      conversationId: context.conversation.id,
      useCase,
      mode: this.rollouts.modeFor(useCase, context.conversation.id),
      shadow: this.rollouts.shadowFor(useCase, context.conversation.id),
      decidedAt: new Date(),
    };
    try {
      await this.routes.insertOne(route);
      return route;
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      return ((await this.routes.findOne({ _id: context.source })) as RouteDocument | null) ?? route;
    }
  }
}

/** Conversations without a use case belong to the `default` rollout. */
export function useCaseKey(useCase: string | null): string {
  return useCase?.trim().toLowerCase() || 'default';
}
