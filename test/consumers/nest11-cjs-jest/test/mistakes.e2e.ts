import { Controller, Get, Module, Post } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { JambonzAuthModule, JambonzGlobalGuard, JambonzWebhook } from 'nestjs-jambonz-auth';
import { TEST_CREDENTIALS, TEST_WEBHOOK_SECRET } from 'nestjs-jambonz-auth/testing';
import { AppModule } from '../src/app.module';

// Each configuration mistake a new user meets stops the app at bootstrap, with a message that
// says what to do: never a silent pass, never Nest's generic dependency error.

const options = { secret: TEST_WEBHOOK_SECRET, basicAuth: TEST_CREDENTIALS };
const quiet = { abortOnError: false, logger: false as const };

/** The message with which `init()` of an app built from `module` (Express) fails. */
async function bootError(module: unknown, appOptions: Record<string, unknown> = { rawBody: true }): Promise<string> {
  try {
    const app = await NestFactory.create(module as never, { ...quiet, ...appOptions });
    await app.init();
    await app.close();
  } catch (error) {
    return (error as Error).message;
  }
  return 'booted';
}

describe('configuration mistakes stop a Nest 11 app at bootstrap', () => {
  it('an app created without rawBody: true, on Express', async () => {
    expect(await bootError(AppModule, {})).toMatch(/create the app with NestFactory\.create\(AppModule, \{ rawBody: true \}\)/);
  });

  it('a GET route that requires a signature alone', async () => {
    @Controller()
    class StatusController {
      @Get('status')
      @JambonzWebhook({ require: 'signature' })
      status() {}
    }
    @Module({ imports: [JambonzAuthModule.forRoot(options)], controllers: [StatusController] })
    class App {}
    expect(await bootError(App)).toMatch(/StatusController\.status takes GET requests and requires a signature alone/);
  });

  it('isGlobal returned by the forRootAsync factory', async () => {
    @Module({ imports: [JambonzAuthModule.forRootAsync({ useFactory: () => ({ ...options, isGlobal: true }) as never })] })
    class App {}
    expect(await bootError(App)).toMatch(/it goes beside the factory, JambonzAuthModule\.forRootAsync\(\{ isGlobal: true/);
  });

  it('the global guard without the module where it is needed', async () => {
    @Module({ providers: [{ provide: APP_GUARD, useClass: JambonzGlobalGuard }] })
    class Guards {}
    @Module({ imports: [JambonzAuthModule.forRoot(options), Guards] })
    class App {}
    expect(await bootError(App)).toMatch(/JambonzGlobalGuard cannot reach JambonzAuthModule's configuration.*isGlobal: true/);
  });

  it('a route naming a credential set the module does not have', async () => {
    @Controller()
    class HookController {
      @Post('hook')
      @JambonzWebhook({ credentials: 'status' })
      hook() {}
    }
    @Module({ imports: [JambonzAuthModule.forRoot(options)], controllers: [HookController] })
    class App {}
    expect(await bootError(App)).toMatch(
      /names the set 'status', which JambonzAuthModule's options do not have \(known: 'default'\)/,
    );
  });

  it('a decorator argument read from the environment, undefined at import', () => {
    expect(() => JambonzWebhook({ credentials: process.env.JAMBONZ_STATUS_SET_UNSET })(class StatusController {})).toThrow(
      /credentials is undefined\. Decorator arguments are evaluated when the file is imported, before ConfigModule loads \.env/,
    );
  });
});
