import { Body, Controller, Get, HttpCode, Options, Param, Post } from '@nestjs/common';
import { JambonzAuth, JambonzWebhook, type JambonzAuthContext } from '../../src/index.js';

/** Routes decorated one by one, as most apps do. */
@Controller()
export class WebhookController {
  @Post('call')
  @JambonzWebhook()
  onCall(@Body() body: Record<string, unknown> | null, @JambonzAuth() auth: JambonzAuthContext) {
    return [
      { verb: 'say', text: 'hello' },
      { verb: 'echo', body, auth },
    ];
  }

  @Options('call')
  @JambonzWebhook()
  onOptions() {
    return { GREETING: { type: 'string', description: 'what to say', required: true } };
  }

  @Post('call-status')
  @HttpCode(204)
  @JambonzWebhook()
  onStatus(): void {}

  @Post('action/:hook')
  @JambonzWebhook()
  onAction(@Param('hook') hook: string, @Body() body: unknown) {
    return hook === 'empty' ? [] : [{ verb: 'echo', hook, body }];
  }

  @Post('unprotected')
  unprotected() {
    return { ok: true };
  }
}

/**
 * A call hook configured as GET: no body, so only Basic credentials can authenticate it, and an
 * app whose module has none refuses to start with it (suites add it where credentials exist).
 */
@Controller()
export class GetWebhookController {
  @Get('call')
  @JambonzWebhook()
  onGetCall(@JambonzAuth() auth: JambonzAuthContext) {
    return [
      { verb: 'say', text: 'hello by GET' },
      { verb: 'echo', auth },
    ];
  }
}

/** Credentials of one route only, as jambonz's call status hook has its own. */
export const ROUTE_CREDENTIALS = { username: 'route-user', password: 'route:pass' };

/** Every route protected by one class decorator. */
@Controller('class')
@JambonzWebhook()
export class ClassWebhookController {
  @Post('hook')
  onHook(@Body() body: unknown, @JambonzAuth() auth: JambonzAuthContext) {
    return [{ verb: 'echo', body, auth }];
  }

  @Post('basic')
  @JambonzWebhook({ require: 'basic', credentials: 'route' })
  onBasic(@JambonzAuth() auth: JambonzAuthContext) {
    return [{ verb: 'echo', auth }];
  }
}

/** Lets a test make the next N calls of {@link ReplayController} fail, as a crashing handler would. */
export const failures = { remaining: 0 };

/** A webhook whose handler takes a while and can be told to fail, for replay protection. */
@Controller('replay')
@JambonzWebhook()
export class ReplayController {
  @Post('hook')
  async onHook(@JambonzAuth() auth: JambonzAuthContext) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (failures.remaining > 0) {
      failures.remaining--;
      throw new Error('handler failed');
    }
    return [{ verb: 'echo', auth }];
  }

  @Post('unprotected-replay')
  @JambonzWebhook({ replay: false })
  onAnyNumberOfTimes() {
    return [];
  }
}

/** A GET hook beside {@link ReplayController}'s: no body, so Basic alone authenticates it and no signature is claimed. */
@Controller('replay')
@JambonzWebhook()
export class ReplayGetController {
  @Get('hook')
  onGet() {
    return [];
  }
}

/**
 * Waits for replay protection to settle a claim: it consumes or releases a signature once the
 * response has been sent, and a test that sends the retry at once would race it (jambonz's first
 * retry comes 0.5 s later at the earliest).
 */
export const settled = () => new Promise((resolve) => setTimeout(resolve, 100));
