import { genericProfile } from './generic.js';
import type { Profile } from './profile.js';
import { stateHrrProfile } from './state-hrr.js';

export type { Profile, PageIdentity, ElementInfo, HeadingReading, LineageSignals } from './profile.js';
export { genericProfile, stateHrrProfile };

/** Site profiles in order of preference; the generic one matches everything and comes last. */
export const PROFILES: readonly Profile[] = [stateHrrProfile, genericProfile];

export function profileByName(name: string): Profile | undefined {
  return PROFILES.find((profile) => profile.name === name);
}

export function selectProfile(url: URL): Profile {
  return PROFILES.find((profile) => profile.matches(url)) ?? genericProfile;
}
