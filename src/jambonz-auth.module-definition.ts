import { ConfigurableModuleBuilder } from '@nestjs/common';
import { JAMBONZ_AUTH_MODULE_OPTIONS } from './jambonz-auth.constants.js';
import type { JambonzAuthModuleOptions } from './jambonz-auth-options.interface.js';

/** Options `forRoot()` and `forRootAsync()` take besides the module's own: */
export interface JambonzAuthModuleExtras {
  /** Register the module globally, so every module's controllers can use `@JambonzWebhook()`. Default `false`. */
  isGlobal?: boolean;
}

export const {
  ConfigurableModuleClass: JambonzAuthConfigurableModule,
  OPTIONS_TYPE: JAMBONZ_AUTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: JAMBONZ_AUTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<JambonzAuthModuleOptions>({ optionsInjectionToken: JAMBONZ_AUTH_MODULE_OPTIONS })
  .setClassMethodName('forRoot')
  .setExtras<JambonzAuthModuleExtras>({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** What `JambonzAuthModule.forRoot()` takes: the module's options plus `isGlobal`. */
export type JambonzAuthModuleForRootOptions = typeof JAMBONZ_AUTH_OPTIONS_TYPE;

/** What `JambonzAuthModule.forRootAsync()` takes: `imports`, `inject` and `useFactory` (or `useClass` / `useExisting`), plus `isGlobal`. */
export type JambonzAuthModuleAsyncOptions = typeof JAMBONZ_AUTH_ASYNC_OPTIONS_TYPE;
