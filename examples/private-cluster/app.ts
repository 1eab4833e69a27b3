import { PrivateClusterStack } from './private-cluster-stack';
import { exampleEnv, newExampleApp } from '../shared/example-app';

const app = newExampleApp();
new PrivateClusterStack(app, 'PrivateCluster', { env: exampleEnv() });
app.synth();
