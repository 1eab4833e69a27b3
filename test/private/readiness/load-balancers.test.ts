import { MIXED, findings } from './readiness-fixtures';

describe('readiness rule load-balancers', () => {
  test('an instance-target Service, ALB Ingress and TargetGroupBinding are errors', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'LoadBalancer' } };
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' }, spec: { ingressClassName: 'alb' } };
    const legacyIngress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'old', annotations: { 'kubernetes.io/ingress.class': 'alb' } } };
    const binding = { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: { name: 'tgb' }, spec: { targetType: 'instance' } };
    expect(findings(service, 'load-balancers')[0].message).toMatch(/^Service default\/web: a `type: LoadBalancer` Service without IP targets/);
    expect(findings(ingress, 'load-balancers')[0].message).toMatch(/^Ingress default\/web: an ALB Ingress without `alb.ingress.kubernetes.io\/target-type: ip`/);
    expect(findings(legacyIngress, 'load-balancers')).toHaveLength(1);
    expect(findings(binding, 'load-balancers')[0].message).toMatch(/`spec.targetType: instance` registers node ports/);
    expect([service, ingress, legacyIngress, binding].flatMap((manifest) => findings(manifest, 'load-balancers')).map((finding) => finding.level))
      .toEqual(['error', 'error', 'error', 'error']);
  });

  test('each message names the fix', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'LoadBalancer' } };
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' }, spec: { ingressClassName: 'alb' } };
    const binding = { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: { name: 'tgb' }, spec: { targetType: 'instance' } };
    expect(findings(service, 'load-balancers')[0].message).toBe('Service shop/web: a `type: LoadBalancer` Service without IP targets gets an '
      + 'instance-target load balancer (from the in-tree controller, or from the AWS Load Balancer Controller unless its default target '
      + 'type is `ip`), and instance targets cannot reach Fargate pods. Install the AWS Load Balancer Controller '
      + '(`cluster.addAwsLoadBalancerController()`) and annotate the Service with `service.beta.kubernetes.io/aws-load-balancer-type: external` '
      + 'and `service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip` (or set `spec.loadBalancerClass: service.k8s.aws/nlb` with '
      + 'the same target-type annotation).');
    expect(findings(ingress, 'load-balancers')[0].message).toBe('Ingress shop/web: an ALB Ingress without `alb.ingress.kubernetes.io/target-type: ip` '
      + 'gets the AWS Load Balancer Controller\'s default target type, `instance` unless the controller is installed with '
      + '`defaultTargetType: ip`, and instance targets cannot reach Fargate pods. Annotate the Ingress with '
      + '`alb.ingress.kubernetes.io/target-type: ip` (its targets then do not depend on how the controller is installed).');
    expect(findings(binding, 'load-balancers')[0].message).toBe('TargetGroupBinding default/tgb: `spec.targetType: instance` registers node '
      + 'ports, which Fargate pods do not have. Set `spec.targetType: ip` and bind a target group of target type `ip`.');
  });

  test('a Service the controller claims is an error unless its NLB target type is ip', () => {
    const service = (annotations: Record<string, string>, spec: Record<string, any> = {}) =>
      ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', annotations }, spec: { type: 'LoadBalancer', ...spec } });
    const external = { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' };
    const instance = { 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'instance' };
    const ipOnly = { 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip' };
    const nlbClass = { loadBalancerClass: 'service.k8s.aws/nlb' };
    // `external` or the controller's class without a target type: the controller's default (instance unless configured).
    expect(findings(service(external), 'load-balancers')).toHaveLength(1);
    expect(findings(service({}, nlbClass), 'load-balancers')).toHaveLength(1);
    expect(findings(service({ ...external, ...instance }), 'load-balancers')[0].message)
      .toMatch(/^Service default\/web: a `type: LoadBalancer` Service with `service.beta.kubernetes.io\/aws-load-balancer-nlb-target-type: instance` gets instance targets/);
    expect(findings(service(instance, nlbClass), 'load-balancers')).toHaveLength(1);
    // An ip target type the controller is not asked to honour: only its webhook would claim the Service.
    expect(findings(service(ipOnly), 'load-balancers')[0].message).toMatch(/but neither `service.beta.kubernetes.io\/aws-load-balancer-type: external` nor `spec.loadBalancerClass: service.k8s.aws\/nlb`/);
    expect(findings(service(ipOnly, { loadBalancerClass: 'example.com/other' }), 'load-balancers')).toHaveLength(1);
    // The in-tree NLB only has instance targets.
    expect(findings(service({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' }), 'load-balancers')).toHaveLength(1);
  });

  test('an ALB Ingress with another target type is an error naming it', () => {
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', annotations: { 'alb.ingress.kubernetes.io/target-type': 'instance' } }, spec: { ingressClassName: 'alb' } };
    const legacy = { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'old', annotations: { 'kubernetes.io/ingress.class': 'alb', 'alb.ingress.kubernetes.io/target-type': 'instance' } } };
    expect(findings(ingress, 'load-balancers')[0].message).toMatch(/^Ingress default\/web: an ALB Ingress with `alb.ingress.kubernetes.io\/target-type: instance` registers instance targets/);
    expect(findings(legacy, 'load-balancers')).toHaveLength(1);
  });

  test('IP-target NLBs and ALBs are not reported', () => {
    const ipTarget = { 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip' };
    const annotated = { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external', ...ipTarget };
    const services = [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', annotations: annotated }, spec: { type: 'LoadBalancer' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'b', annotations: ipTarget }, spec: { type: 'LoadBalancer', loadBalancerClass: 'service.k8s.aws/nlb' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'c' }, spec: { type: 'ClusterIP' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'legacy', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb-ip' } }, spec: { type: 'LoadBalancer' } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'd', annotations: { 'alb.ingress.kubernetes.io/target-type': 'ip' } }, spec: { ingressClassName: 'alb' } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'f', annotations: { 'kubernetes.io/ingress.class': 'alb', 'alb.ingress.kubernetes.io/target-type': 'ip' } } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'e' }, spec: { ingressClassName: 'nginx' } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'g', annotations: { 'kubernetes.io/ingress.class': 'nginx' } } },
      { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: { name: 'tgb' }, spec: { targetType: 'ip' } },
      { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: { name: 'tgb2' }, spec: {} },
      // Same kinds in other API groups are other objects.
      { apiVersion: 'example.com/v1', kind: 'TargetGroupBinding', metadata: { name: 'x' }, spec: { targetType: 'instance' } },
      { apiVersion: 'example.com/v1', kind: 'Service', metadata: { name: 'y' }, spec: { type: 'LoadBalancer' } },
    ];
    expect(services.flatMap((manifest) => findings(manifest, 'load-balancers'))).toEqual([]);
  });

  test('instance targets are not judged on a mixed cluster, where the targets may be EC2 pods', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'serverless' }, spec: { type: 'LoadBalancer' } };
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'serverless' }, spec: { ingressClassName: 'alb' } };
    const binding = { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: { name: 'tgb', namespace: 'serverless' }, spec: { targetType: 'instance' } };
    expect([service, ingress, binding].flatMap((manifest) => findings(manifest, 'load-balancers', MIXED))).toEqual([]);
  });
});
