import { main } from './main.js';

/** The CLI's bundle entry (cli/build-cli.ts): runs the command line of this process. */
await main();
