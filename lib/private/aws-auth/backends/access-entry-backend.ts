import { Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { displayOf, MappingBackend, PrincipalMapping } from './mapping-backend';
import type { IFargateCluster } from '../../../fargate-cluster-interface';
import { addAccessEntry, clusterAdminPolicy } from '../../access-entries/cluster-access-entries';
import { accessEntryProblems } from '../../access-entries/entry-rules';
import { translateToAccessEntry } from '../../access-entries/translation';
import { shortHash } from '../../shared/short-hash';
import { throwIfProblems } from '../../shared/validation-report';

/** Identity mappings as native `AWS::EKS::AccessEntry` resources. */
export class AccessEntryBackend implements MappingBackend {
  constructor(private readonly owner: Construct, private readonly cluster: IFargateCluster) {}

  public addRole(mapping: PrincipalMapping): void {
    this.addPrincipal(mapping);
  }

  public addUser(mapping: PrincipalMapping): void {
    this.addPrincipal(mapping);
  }

  public addAccount(accountId: string): void {
    throwIfProblems(this.owner, [`\`addAccount('${accountId}')\` has no access-entry equivalent: EKS access entries map one principal each. `
      + 'Map the roles of that account with `addRoleMapping`, or use `backend: AwsAuthBackend.CONFIG_MAP`.']);
  }

  private addPrincipal(mapping: PrincipalMapping): void {
    const stack = Stack.of(this.owner);
    const display = displayOf(mapping);
    throwIfProblems(this.owner, accessEntryProblems({
      arn: Token.isUnresolved(mapping.arn) ? undefined : mapping.arn,
      display,
      groups: mapping.groups,
      account: Token.isUnresolved(stack.account) ? undefined : stack.account,
    }));
    let translation;
    try {
      translation = translateToAccessEntry(display, mapping.groups, mapping.username);
    } catch (error) {
      throwIfProblems(this.owner, [(error as Error).message]);
      return;
    }
    // Ids follow the principal, not call order, so removing one mapping never replaces the others.
    const principalKey = JSON.stringify(Stack.of(this.owner).resolve(mapping.arn));
    const id = `Entry${shortHash(principalKey, 8)}`;
    addAccessEntry(this.cluster, this.owner, id, {
      principalArn: mapping.arn,
      display,
      type: translation.type,
      kubernetesGroups: translation.kubernetesGroups,
      username: translation.username,
      accessPolicies: translation.clusterAdmin ? [clusterAdminPolicy()] : undefined,
    });
  }
}
