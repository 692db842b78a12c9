// A technique id the user asked about is malformed or not in the shipped ATT&CK catalogue.
import { CsHelperError } from '../../model/errors/cs-helper-error.js';

export class UnknownTechniqueError extends CsHelperError {
  override readonly name = 'UnknownTechniqueError';
  readonly techniqueId: string;

  constructor(techniqueId: string, reason: 'malformed' | 'unknown', attackVersion: string) {
    super(
      reason === 'malformed' ? 'attack-id-malformed' : 'attack-id-unknown',
      reason === 'malformed' ? `'${techniqueId}' is not an ATT&CK technique id` : `technique ${techniqueId} is not in the ATT&CK Enterprise v${attackVersion} catalogue`,
      { hint: reason === 'malformed' ? 'a technique id looks like T1059 or T1059.001' : 'check the id on https://attack.mitre.org/techniques/; mobile and ICS techniques are not in the Enterprise catalogue' },
    );
    this.techniqueId = techniqueId;
  }
}
