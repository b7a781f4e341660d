import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag/acknowledge.js';

export type RouteAccess = 'public' | 'iam';

export interface ApiRoute {
  readonly method: 'GET' | 'HEAD' | 'POST' | 'DELETE';
  readonly path: string;
  readonly access: RouteAccess;
}

/**
 * The gateway's routes. Reads are public (the data is derived from public reports) and throttled; everything that
 * changes state or reveals subscriber endpoints needs a SigV4-signed request from an IAM principal allowed to call
 * execute-api:Invoke on it. A path matched by no route gets the gateway's 404, never the function.
 */
export const API_ROUTES: readonly ApiRoute[] = Object.freeze([
  // functions/api/http/api-routes.ts routes below these prefixes; section keys and series ids may contain slashes.
  { method: 'GET', path: '/pages', access: 'public' },
  { method: 'GET', path: '/pages/{proxy+}', access: 'public' },
  { method: 'GET', path: '/series', access: 'public' },
  { method: 'GET', path: '/series/{proxy+}', access: 'public' },
  { method: 'GET', path: '/audit', access: 'public' },
  { method: 'GET', path: '/editions/{proxy+}', access: 'public' },
  { method: 'GET', path: '/feeds/{proxy+}', access: 'public' },
  // The OpenAPI 3.1 description of this API.
  { method: 'GET', path: '/openapi.json', access: 'public' },
  // The web UI (functions/api/ui): `/` redirects to `/ui`.
  { method: 'GET', path: '/', access: 'public' },
  { method: 'GET', path: '/ui', access: 'public' },
  { method: 'GET', path: '/ui/{proxy+}', access: 'public' },
  // HEAD on the UI (link checkers, monitors): the function answers it with the GET's status and headers.
  { method: 'HEAD', path: '/', access: 'public' },
  { method: 'HEAD', path: '/ui', access: 'public' },
  { method: 'HEAD', path: '/ui/{proxy+}', access: 'public' },
  { method: 'POST', path: '/watches', access: 'iam' },
  // The listing shows delivery addresses (e-mails, webhook URLs): IAM like the writes.
  { method: 'GET', path: '/subscriptions', access: 'iam' },
  { method: 'GET', path: '/subscriptions/{id}', access: 'iam' },
  { method: 'POST', path: '/subscriptions', access: 'iam' },
  { method: 'DELETE', path: '/subscriptions/{id}', access: 'iam' },
] as const);

/**
 * One `ANY` route per path, with no authorizer, behind the routes above (the gateway prefers a route's own method):
 * the function answers what they catch, HEAD as GET (a credentialed route still refuses it without IAM), and any
 * other method with 405 and `Allow`, instead of the gateway's bare 404.
 */
export function methodFallbackRoutes(routes: readonly ApiRoute[]): { method: 'ANY'; path: string }[] {
  return [...new Set(routes.map((route) => route.path))].map((path) => ({ method: 'ANY', path }));
}

export interface TrackerApiProps {
  readonly handler: lambda.IFunction;
  readonly routes?: readonly ApiRoute[];
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  readonly name: string;
}

/** One JSON line per request; the caller's IAM ARN shows who changed a watch or a subscription. */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  caller: '$context.identity.userArn',
  requestTime: '$context.requestTime',
  method: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
});

/** HTTP API (payload v2) in front of the api function: public read routes, IAM-authorised write routes. */
export class TrackerApi extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogs: logs.LogGroup;
  readonly routes: readonly ApiRoute[];

  constructor(scope: Construct, id: string, props: TrackerApiProps) {
    super(scope, id);
    this.routes = props.routes ?? API_ROUTES;
    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: props.name,
      description: 'redline: pages, revisions, diffs, audits, feeds; watches and subscriptions (IAM)',
      createDefaultStage: false,
      // The gateway answers preflights (no OPTIONS route reaches the function); same policy as the handler's.
      corsPreflight: {
        allowOrigins: ['*'],
        allowMethods: [apigwv2.CorsHttpMethod.GET, apigwv2.CorsHttpMethod.HEAD, apigwv2.CorsHttpMethod.POST, apigwv2.CorsHttpMethod.DELETE],
        allowHeaders: ['authorization', 'content-type', 'if-none-match'],
        exposeHeaders: ['etag', 'location', 'link', 'allow'],
        maxAge: Duration.minutes(10),
      },
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttle.rateLimit, burstLimit: props.throttle.burstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: apigateway.AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });

    const integration = new HttpLambdaIntegration('ApiFunction', props.handler);
    const iamAuthorizer = new HttpIamAuthorizer();
    for (const route of this.routes) {
      const [created] = this.httpApi.addRoutes({
        path: route.path,
        methods: [apigwv2.HttpMethod[route.method]],
        integration,
        ...(route.access === 'iam' ? { authorizer: iamAuthorizer } : {}),
      });
      if (route.access === 'public' && created) {
        acknowledge(
          created,
          'AwsSolutions-APIG4',
          `${route.method} ${route.path} is a public read route on purpose: it serves data derived from public reports, read-only, throttled at the stage; writes need IAM.`,
        );
      }
    }
    for (const fallback of methodFallbackRoutes(this.routes)) {
      const [created] = this.httpApi.addRoutes({ path: fallback.path, methods: [apigwv2.HttpMethod.ANY], integration });
      if (created) {
        acknowledge(
          created,
          'AwsSolutions-APIG4',
          `ANY ${fallback.path} only lets the function answer HEAD and a wrong method (405 with Allow); ` +
            'credentialed routes still check IAM in the function.',
        );
      }
    }
  }

  get url(): string {
    return this.stage.url;
  }
}
