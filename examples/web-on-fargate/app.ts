import { WebOnFargateStack } from './web-on-fargate-stack';
import { exampleEnv, newExampleApp } from '../shared/example-app';

const app = newExampleApp();
new WebOnFargateStack(app, 'WebOnFargate', { env: exampleEnv() });
app.synth();
