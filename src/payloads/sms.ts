/**
 * Body of the application's messaging hook (`messaging_hook`) for an SMS received on one of
 * the account's numbers. The answer may be a verb array (only verbs that need no call, such
 * as `message`, are run).
 *
 * jambonz receives SMS through a carrier plug-in (HTTP providers, via the API server's
 * `lib/routes/api/sms-inbound.js`) or over SMPP (`jambonz-smpp-esme`); what `to`, `cc` and
 * `media` hold depends on that path, hence the loose types.
 *
 * Source: feature server `lib/http-routes/api/messaging.js`.
 */
export interface SmsInboundPayload {
  /** Name of the carrier (plug-in) the message came through. */
  carrier: string;
  /** jambonz's id of the message (UUID). */
  message_sid: string;
  /** The jambonz account that owns the receiving number (UUID). */
  account_sid: string;
  /** The jambonz service provider of that account (UUID). */
  service_provider_sid: string;
  /** The application the receiving number is routed to (UUID). */
  application_sid: string;
  /** Sender's number, as the carrier gave it (often without a leading `+`). */
  from: string;
  /** Receiving number, or several: HTTP carrier plug-ins may give an array. */
  to: string | string[];
  /** Copied recipients, when the carrier plug-in reports them. */
  cc?: string | string[];
  /** Text of the message. Absent for a media-only message. */
  text?: string;
  /** Attached media (MMS), in the carrier plug-in's form (typically URLs). Absent for SMPP. */
  media?: unknown[];
}
