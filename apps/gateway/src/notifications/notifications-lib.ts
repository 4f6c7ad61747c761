/*
 * What the webhook needs from libs/notifications. The lib's entry point does not export its
 * provider/ folder yet; once libs/notifications/src/index.ts has `export * from './provider';`,
 * replace both paths below with '@libs/notifications' (or import from it directly).
 */
export {
  InvalidStatusWebhookError,
  parseStatusWebhook,
  signStatusWebhook,
  STATUS_WEBHOOK_SIGNATURE_HEADER,
  StatusWebhookErrorCode,
  StatusWebhookSignatureError,
  StatusWebhookTooLargeError,
  verifyStatusWebhook,
} from '../../../../libs/notifications/src/provider';
export { UpdateDeliveryStatusCommand } from '../../../../libs/notifications/src/application/commands/update-delivery-status/update-delivery-status.command';
export type { DeliveryStatusOutcome } from '../../../../libs/notifications/src/application/commands/update-delivery-status/update-delivery-status.command';
