import type { Command } from 'commander';
import { reencryptAll } from '../modules/secrets/key-rotation.js';
import { print } from './output.js';
import { withServices } from './with-services.js';

/**
 * keys rotate: with a key file, adds a new current key to it, then
 * re-encrypts every token's key material under the current key. With
 * HWT_MASTER_KEY, put the new key first in the variable (keep the old one
 * after it) on every instance, then run this.
 */
export function keyCommands(program: Command): void {
  program.command('keys').description('Master keys').command('rotate').description('Re-encrypt all key material under a new master key')
    .option('--no-new-key', 'only re-encrypt under the current key (HWT_MASTER_KEY already lists the new key first)')
    .action((options: { newKey: boolean }) => withServices(async (services) => {
      if (options.newKey && !process.env.HWT_MASTER_KEY) {
        const fresh = services.keyring.addKeyToFile();
        print(`new master key ${fresh.id} added to the key file`);
      }
      const result = await reencryptAll(services.storage, services.keyring);
      print(`re-encrypted ${result.reencrypted} tokens under key ${services.keyring.currentKeyId}; ${result.remaining} left under older keys`);
      // Tokens that running instances stored before they picked up the new key.
      if (result.remaining > 0) print('run `hwtokens keys rotate --no-new-key` again in a few seconds for those');
    }));
}
