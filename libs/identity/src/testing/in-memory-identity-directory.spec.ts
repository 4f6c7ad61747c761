import { describeIdentityDirectoryContract } from './identity-directory.contract';
import { InMemoryIdentityDirectory } from './in-memory-identity-directory';

// The fake used by handler specs must behave like the real adapters.
describeIdentityDirectoryContract('in memory', async () => ({ directory: new InMemoryIdentityDirectory() }));
