export { DISABLED_NOTIFIER, SIGNATURE_HEADER, WebhookNotifier, signBody, type NotificationEvent, type NotificationReceipt, type Notifier } from './webhook'
