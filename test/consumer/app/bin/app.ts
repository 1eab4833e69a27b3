#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { ConsumerStack } from '../lib/consumer-stack';

const app = new cdk.App();
// Explicit account and region: with the availability-zones context in cdk.json, `cdk synth` needs no credentials.
new ConsumerStack(app, 'ConsumerStack', { env: { account: '123456789012', region: 'us-east-1' } });
