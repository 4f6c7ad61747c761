/** Room for the Mailgun form's other fields and part headers around `body-mime`. */
export const MAILGUN_FORM_OVERHEAD_BYTES = 1024 * 1024;

export const INBOUND_LIMITS = Symbol('INBOUND_LIMITS');

/** What the ingress controllers need of the configuration. */
export interface InboundIngressSettings {
  maxBytes: number;
  maxHeaderLineBytes: number;
  inboundPassword: string;
}
