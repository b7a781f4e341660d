import type { IConstruct } from 'constructs';

export interface Acknowledgement {
  id: string;
  reason: string;
  path: string;
}

/** Every cdk-nag acknowledgement (suppression) under a construct, with its reason and where it applies. */
export function acknowledgementsUnder(root: IConstruct): Acknowledgement[] {
  const found: Acknowledgement[] = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== 'aws:cdk:acknowledged-rules' || !entry.data) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({ id, reason, path: construct.node.path });
      }
    }
  }
  return found;
}
