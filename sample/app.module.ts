import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { JambonzAuthModule } from 'nestjs-jambonz-auth';
import { CallController } from './call.controller.js';
import { jambonzAuthOptionsFromEnv } from './jambonz-config.js';

/**
 * The sample app: jambonz webhook authentication configured from the environment (and a `.env`
 * file, through `@nestjs/config`), and the controller that answers the webhooks.
 */
@Module({
  imports: [
    JambonzAuthModule.forRootAsync({
      imports: [ConfigModule.forRoot()],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => jambonzAuthOptionsFromEnv((name) => config.get<string>(name)),
    }),
  ],
  controllers: [CallController],
})
export class AppModule {}
