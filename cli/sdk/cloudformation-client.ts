/** The CloudFormation client, loaded only by `redline import --stack` (see store-clients.ts for why this module exists). */
export { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
