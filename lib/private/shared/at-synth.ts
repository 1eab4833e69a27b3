import { Aspects } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Runs `work` once when the app synthesizes, after every construct exists: profiles, grants and manifests can be
 * added after the construct whose dependencies or warnings depend on them.
 */
export function atSynth(construct: IConstruct, work: () => void): void {
  let done = false;
  Aspects.of(construct).add({
    visit: (node: IConstruct) => {
      if (node === construct && !done) {
        done = true;
        work();
      }
    },
  });
}
