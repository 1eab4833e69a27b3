import { ImportedClusterStack } from './imported-cluster-stack';
import { exampleEnv, newExampleApp } from '../shared/example-app';

const app = newExampleApp();
new ImportedClusterStack(app, 'ImportedCluster', { env: exampleEnv() });
app.synth();
