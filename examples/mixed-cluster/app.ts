import { MixedClusterStack } from './mixed-cluster-stack';
import { exampleEnv, newExampleApp } from '../shared/example-app';

const app = newExampleApp();
new MixedClusterStack(app, 'MixedCluster', { env: exampleEnv() });
app.synth();
