import { webhookSuite } from './webhook-suite.js';

webhookSuite('express');
