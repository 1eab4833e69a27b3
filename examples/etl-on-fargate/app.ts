import { EtlOnFargateStack } from './etl-on-fargate-stack';
import { exampleEnv, newExampleApp } from '../shared/example-app';

const app = newExampleApp();
new EtlOnFargateStack(app, 'EtlOnFargate', { env: exampleEnv() });
app.synth();
