import { ConfigurableModuleBuilder, type ConfigurableModuleAsyncOptions } from '@nestjs/common';
import { JAMBONZ_AUTH_MODULE_OPTIONS } from './jambonz-auth.constants.js';
import type { JambonzAuthModuleOptions } from './jambonz-auth-options.interface.js';

/** Options `forRoot()` and `forRootAsync()` take besides the module's own. */
export interface JambonzAuthModuleExtras {
  /** Register the module globally, so every module's controllers can use `@JambonzWebhook()`. Default `false`. */
  isGlobal?: boolean;
}

/** What `JambonzAuthModule.forRoot()` takes: the module's options plus `isGlobal`. */
export type JambonzAuthModuleForRootOptions = JambonzAuthModuleOptions & JambonzAuthModuleExtras;

/**
 * What `JambonzAuthModule.forRootAsync()` takes: `imports`, `inject` and `useFactory` (or
 * `useClass` / `useExisting`) producing {@link JambonzAuthModuleOptions}, plus `isGlobal`.
 */
export type JambonzAuthModuleAsyncOptions = ConfigurableModuleAsyncOptions<JambonzAuthModuleOptions> & JambonzAuthModuleExtras;

/** The base class `JambonzAuthModule` extends: Nest's `forRoot` / `forRootAsync` plumbing. */
export const { ConfigurableModuleClass: JambonzAuthConfigurableModule } = new ConfigurableModuleBuilder<JambonzAuthModuleOptions>(
  {
    optionsInjectionToken: JAMBONZ_AUTH_MODULE_OPTIONS,
  },
)
  .setClassMethodName('forRoot')
  .setExtras<JambonzAuthModuleExtras>({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
