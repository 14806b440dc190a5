import { All, Body, Controller, Get, HttpCode, Logger, Options, Param, Post } from '@nestjs/common';
import { JambonzAuth, JambonzWebhook, type JambonzAuthContext } from 'nestjs-jambonz-auth';

/** A verb of jambonz's application language, e.g. `{ verb: 'say', text: 'Hello' }`. */
export type Verb = { readonly verb: string } & Readonly<Record<string, unknown>>;

/** The few webhook fields the sample reads (snake_case, as on the wire); jambonz sends many more. */
interface WebhookPayload {
  readonly from?: string;
  readonly call_sid?: string;
  readonly call_status?: string;
  readonly env_vars?: { readonly GREETING?: string };
  readonly digits?: string;
  readonly speech?: { readonly alternatives?: ReadonlyArray<{ readonly transcript?: string }> };
}

/**
 * The application's environment variables, as jambonz discovers them: it sends an unsigned
 * OPTIONS to the call hook URL (portal, application save) and offers these for editing; their
 * values then arrive in every call hook under `env_vars`.
 */
export const APP_ENV_VARS = Object.freeze({
  GREETING: { type: 'string', description: 'Greeting played to callers', default: 'Welcome to the sample app' },
});

/** Paths of the sample's routes, relative to the server root. */
export const ROUTES = Object.freeze({ call: 'call', callStatus: 'call-status', action: 'action/:hook' });

/** Every route, for the startup log: method, path, what it does. */
export const ROUTE_TABLE: ReadonlyArray<readonly [method: string, path: string, what: string]> = [
  ['POST', ROUTES.call, 'call hook: greets the caller, then gathers speech or digits'],
  ['POST', ROUTES.callStatus, "call status hook: logs the status, answers 204; takes the status hook's credentials"],
  ['ANY', ROUTES.action, 'action hooks, by POST or GET: /action/gather says what it heard and hangs up'],
  ['GET', ROUTES.call, 'call hook configured as GET: authenticated by Basic credentials alone'],
  ['OPTIONS', ROUTES.call, "jambonz's discovery of the app's environment variables: no authentication"],
];

/**
 * The sample's jambonz webhooks. `@JambonzWebhook()` on the class protects every route: only
 * requests that prove they come from jambonz reach a handler, and a POST answers 200 rather than
 * Nest's 201, which jambonz counts as a failure.
 */
@Controller()
@JambonzWebhook()
export class CallController {
  private readonly logger = new Logger(CallController.name);

  /** Call hook: a new call. Answers the verbs that run it. */
  @Post(ROUTES.call)
  onCall(@Body() call: WebhookPayload | null, @JambonzAuth() auth: JambonzAuthContext): Verb[] {
    // What authenticated the request, never the headers themselves: they are credentials.
    this.logger.log(`Call hook for call ${call?.call_sid} authenticated by ${auth.verifiedBy}`);
    const greeting = call?.env_vars?.GREETING ?? APP_ENV_VARS.GREETING.default;
    return [
      { verb: 'say', text: call?.from ? `${greeting}. You are calling from ${call.from}.` : `${greeting}.` },
      {
        verb: 'gather',
        actionHook: '/action/gather',
        input: ['speech', 'digits'],
        timeout: 10,
        say: { text: 'Say something, or press a few keys and then the pound key.' },
      },
    ];
  }

  /** Call hook configured with method GET: no body arrives, so only Basic can authenticate it. */
  @Get(ROUTES.call)
  onGetCall(@JambonzAuth() auth: JambonzAuthContext): Verb[] {
    this.logger.log(`GET call hook authenticated by ${auth.verifiedBy}`);
    return [{ verb: 'say', text: `${APP_ENV_VARS.GREETING.default}.` }, { verb: 'hangup' }];
  }

  /** jambonz's unsigned environment-variable discovery; the module lets OPTIONS through. */
  @Options(ROUTES.call)
  onDiscovery(): typeof APP_ENV_VARS {
    return APP_ENV_VARS;
  }

  /**
   * Call status hook: jambonz only needs a success status; 204 says there is nothing to say.
   * jambonz sends the call status hook's own Basic credentials: the set named `status`.
   */
  @Post(ROUTES.callStatus)
  @HttpCode(204)
  @JambonzWebhook({ credentials: 'status' })
  onCallStatus(@Body() status: WebhookPayload | null): void {
    this.logger.log(`Call ${status?.call_sid}: ${status?.call_status}`);
  }

  /**
   * Action hooks (`actionHook` of gather, dial...): the verbs that continue the call. Declared
   * with `@All()`, since a hook can be configured as POST or GET: a GET is authenticated by its
   * Basic credentials alone, and an OPTIONS here is authenticated like any request (only a route
   * declared with `@Options()` answers jambonz's unauthenticated discovery).
   */
  @All(ROUTES.action)
  onAction(@Param('hook') hook: string, @Body() result: WebhookPayload | null): Verb[] {
    if (hook !== 'gather') {
      // No new verbs: jambonz carries on with what is left of the current ones.
      return [];
    }
    const transcript = result?.speech?.alternatives?.[0]?.transcript;
    const text = transcript
      ? `You said: ${transcript}.`
      : result?.digits
        ? `You pressed ${result.digits.split('').join(' ')}.`
        : 'Sorry, I did not catch that.';
    return [{ verb: 'say', text }, { verb: 'hangup' }];
  }
}
