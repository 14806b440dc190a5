import { ConfigurableModuleBuilder, Module, type ConfigurableModuleAsyncOptions, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { createJambonzAuthConfig } from './jambonz-auth.config.js';
import {
  JAMBONZ_AUTH_CONFIG,
  JAMBONZ_AUTH_MODULE_OPTIONS,
  JAMBONZ_GLOBAL_METER_PROVIDER,
  JAMBONZ_ROUTE_POLICIES,
} from './jambonz-auth.constants.js';
import type { JambonzAuthModuleOptions } from './jambonz-auth-options.interface.js';
import { JambonzAuthGuard } from './jambonz-auth.guard.js';
import { JambonzGlobalGuard } from './jambonz-global.guard.js';
import { JambonzRoutePolicies } from './jambonz-route.policy.js';
import { JambonzCredentialUsage } from './observability/jambonz-credential-usage.service.js';
import { loadGlobalMeterProvider } from './observability/opentelemetry.loader.js';
import { RawBodyCheck } from './raw-body.check.js';

/** Options `forRoot()` and `forRootAsync()` take besides the module's own. */
export interface JambonzAuthModuleExtras {
  /** Register the module globally, so every module's controllers can use `@JambonzWebhook()`. Default `false`. */
  isGlobal?: boolean;
}

/** What `JambonzAuthModule.forRoot()` takes: the module's options plus `isGlobal`. */
export type JambonzAuthModuleForRootOptions = JambonzAuthModuleOptions & JambonzAuthModuleExtras;

/**
 * What `JambonzAuthModule.forRootAsync()` takes: `imports`, `inject` and `useFactory` (or
 * `useClass` / `useExisting`) producing {@link JambonzAuthModuleOptions}, plus `isGlobal`
 * (beside the factory: the factory's result has no `isGlobal`).
 */
export type JambonzAuthModuleAsyncOptions = ConfigurableModuleAsyncOptions<JambonzAuthModuleOptions> & JambonzAuthModuleExtras;

const OPTIONS = { token: JAMBONZ_AUTH_MODULE_OPTIONS, optional: true };

const { ConfigurableModuleClass } = new ConfigurableModuleBuilder<JambonzAuthModuleOptions>({
  optionsInjectionToken: JAMBONZ_AUTH_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setExtras<JambonzAuthModuleExtras>({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/**
 * Configures jambonz authentication for the application, once; `@JambonzWebhook()` then
 * protects routes.
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
    // The options are optional here only so that importing the bare class (without forRoot)
    // ends in the module's own message rather than Nest's dependency error.
    { provide: JAMBONZ_GLOBAL_METER_PROVIDER, useFactory: loadGlobalMeterProvider, inject: [OPTIONS] },
    { provide: JAMBONZ_AUTH_CONFIG, useFactory: createJambonzAuthConfig, inject: [OPTIONS, JAMBONZ_GLOBAL_METER_PROVIDER] },
    // Under a string token, like the configuration: the ESM and CommonJS builds share it.
    { provide: JAMBONZ_ROUTE_POLICIES, useClass: JambonzRoutePolicies },
    RawBodyCheck,
    JambonzAuthGuard,
    JambonzGlobalGuard,
    JambonzCredentialUsage,
  ],
  exports: [JAMBONZ_AUTH_CONFIG, JAMBONZ_ROUTE_POLICIES, JambonzAuthGuard, JambonzGlobalGuard, JambonzCredentialUsage],
})
export class JambonzAuthModule extends ConfigurableModuleClass {
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
