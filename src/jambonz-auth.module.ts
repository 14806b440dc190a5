import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JambonzAuthGuard } from './jambonz-auth.guard.js';
import { JambonzGlobalGuard } from './jambonz-global.guard.js';
import { JAMBONZ_AUTH_CONFIG, JAMBONZ_AUTH_MODULE_OPTIONS } from './jambonz-auth.constants.js';
import {
  JambonzAuthConfigurableModule,
  type JambonzAuthModuleAsyncOptions,
  type JambonzAuthModuleForRootOptions,
} from './jambonz-auth.module-definition.js';
import { createJambonzAuthConfig } from './jambonz-auth-options.validator.js';
import { JambonzWebhookInterceptor } from './jambonz-webhook.interceptor.js';
import { JambonzWebhookRoutesValidator } from './jambonz-webhook-routes.validator.js';

/**
 * Configures jambonz webhook authentication for the application, once; `@JambonzWebhook()`
 * then protects routes.
 *
 * ```ts
 * JambonzAuthModule.forRoot({ secret: 'wh_secret_...' })
 * JambonzAuthModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ secret: config.getOrThrow('JAMBONZ_WEBHOOK_SECRET') }),
 * })
 * ```
 *
 * Both accept `isGlobal`. Options are validated while the application boots: a problem throws
 * `JambonzAuthConfigError`, naming the option and what to set, and the application does not
 * start. Every `@JambonzWebhook()` route is checked against the options at the same time.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    { provide: JAMBONZ_AUTH_CONFIG, useFactory: createJambonzAuthConfig, inject: [JAMBONZ_AUTH_MODULE_OPTIONS] },
    JambonzAuthGuard,
    JambonzGlobalGuard,
    JambonzWebhookInterceptor,
    JambonzWebhookRoutesValidator,
  ],
  exports: [JAMBONZ_AUTH_CONFIG, JambonzAuthGuard, JambonzGlobalGuard, JambonzWebhookInterceptor],
})
export class JambonzAuthModule extends JambonzAuthConfigurableModule {
  /**
   * Registers the module with options known at import time.
   * @param options the module's options (see `JambonzAuthModuleOptions`) plus `isGlobal`.
   * @returns the dynamic module; a bad option throws `JambonzAuthConfigError` when the app boots.
   */
  static override forRoot(options: JambonzAuthModuleForRootOptions): DynamicModule {
    return super.forRoot(options);
  }

  /**
   * Registers the module with options computed while the app boots, typically from
   * `ConfigService`: `{ imports, inject, useFactory }` (or `useClass` / `useExisting`), plus
   * `isGlobal`.
   * @returns the dynamic module; a bad option throws `JambonzAuthConfigError` when the app boots.
   */
  static override forRootAsync(options: JambonzAuthModuleAsyncOptions): DynamicModule {
    return super.forRootAsync(options);
  }
}
