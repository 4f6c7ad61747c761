/** What the webhook uses from the notifications lib. */
export {
  InvalidStatusWebhookError,
  parseStatusWebhook,
  signStatusWebhook,
  STATUS_WEBHOOK_SIGNATURE_HEADER,
  StatusWebhookErrorCode,
  StatusWebhookSignatureError,
  StatusWebhookTooLargeError,
  verifyStatusWebhook,
} from '@libs/notifications';
export { UpdateDeliveryStatusCommand } from '@libs/notifications';
export type { DeliveryStatusOutcome } from '@libs/notifications';
