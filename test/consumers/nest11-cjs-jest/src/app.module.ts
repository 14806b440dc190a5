import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { JambonzAuthModule } from 'nestjs-jambonz-auth';
import { CallController } from './call.controller';

/**
 * The webhook secret, the call hook's credentials and the call status hook's own credentials,
 * all from .env (or the environment) through ConfigService, as the README shows.
 */
@Module({
  imports: [
    ConfigModule.forRoot(),
    JambonzAuthModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        secret: config.getOrThrow<string>('JAMBONZ_WEBHOOK_SECRET'),
        basicAuth: {
          username: config.getOrThrow<string>('JAMBONZ_WEBHOOK_USERNAME'),
          password: config.getOrThrow<string>('JAMBONZ_WEBHOOK_PASSWORD'),
        },
        namedCredentials: {
          status: {
            username: config.getOrThrow<string>('JAMBONZ_STATUS_HOOK_USERNAME'),
            password: config.getOrThrow<string>('JAMBONZ_STATUS_HOOK_PASSWORD'),
          },
        },
      }),
    }),
  ],
  controllers: [CallController],
})
export class AppModule {}
