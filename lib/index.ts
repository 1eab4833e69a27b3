export * from './aws-auth-merge';
export * from './fargate-cluster-ref';
export * from './fargate-cluster';
export * from './fargate-logging';
export * from './fargate-profile-set';
export * from './fargate-service-account';
export * from './pod-execution-role';
export * from './safe-aws-auth';
