import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyCookie from '@fastify/cookie'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyInstance } from 'fastify'
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import { accountRoutes } from './accounts/routes.ts'
import { activityRoutes } from './activities/routes.ts'
import { apiKeyRoutes } from './api-keys/routes.ts'
import { attributionRoutes } from './attribution/routes.ts'
import { auditRoutes } from './audit/routes.ts'
import type { Principal } from './auth/principal.ts'
import { authRoutes } from './auth/routes.ts'
import { campaignRoutes } from './campaigns/routes.ts'
import { contactRoutes } from './contacts/routes.ts'
import type { AppContext } from './context.ts'
import { customFieldRoutes } from './custom-fields/routes.ts'
import { dealRoutes } from './deals/routes.ts'
import { AppError } from './errors.ts'
import { exchangeRateRoutes } from './exchange-rates/routes.ts'
import { exportRoutes } from './exports/routes.ts'
import { feedbackRoutes } from './feedback/routes.ts'
import { fitRoutes } from './fit/routes.ts'
import { forecastRoutes } from './forecast/routes.ts'
import { publicFormRoutes } from './forms/public-routes.ts'
import { formRoutes } from './forms/routes.ts'
import { handoffRoutes } from './handoffs/routes.ts'
import { healthRoutes } from './health/routes.ts'
import { AccessLog } from './http/access-log.ts'
import { authenticate } from './http/authenticate.ts'
import { handleError } from './http/error-handler.ts'
import { apiSecurityHeaders, hsts, pageSecurityHeaders } from './http/security-headers.ts'
import { serializerCompiler } from './http/serializer.ts'
import { identityRoutes } from './identities/routes.ts'
import { importRoutes } from './imports/routes.ts'
import { liveTrackingRoutes } from './ingest/live-routes.ts'
import { IngestProcessor } from './ingest/processor.ts'
import { IngestQueue } from './ingest/queue.ts'
import { ingestRoutes } from './ingest/routes.ts'
import { leaderRoutes } from './leader/routes.ts'
import { memberRoutes } from './members/routes.ts'
import { mergeRoutes } from './merges/routes.ts'
import { mqlRoutes } from './mql/routes.ts'
import { notificationRoutes } from './notifications/routes.ts'
import { outlookRoutes } from './outlook/routes.ts'
import { personaRoutes } from './personas/routes.ts'
import { pipelineRoutes } from './pipelines/routes.ts'
import { predictiveRoutes } from './predictive/routes.ts'
import { privacyRoutes } from './privacy/routes.ts'
import { productRoutes } from './products/routes.ts'
import { alignmentRoutes } from './reports/alignment-routes.ts'
import { attributionReportRoutes } from './reports/attribution-routes.ts'
import { funnelRoutes } from './reports/funnel-routes.ts'
import { drillRecordsRoutes } from './reports/records-routes.ts'
import { regretRoutes } from './reports/regret-routes.ts'
import { slaReportRoutes } from './reports/sla-routes.ts'
import { voiceOfSalesRoutes } from './reports/voice-of-sales-routes.ts'
import { routingRoutes } from './routing/routes.ts'
import { savedViewRoutes } from './saved-views/routes.ts'
import { scoringRoutes } from './scoring/routes.ts'
import { slaRoutes } from './sla/routes.ts'
import { targetRoutes } from './targets/routes.ts'
import { teamRoutes } from './teams/routes.ts'
import { todayRoutes } from './today/routes.ts'
import { touchpointRoutes } from './touchpoints/routes.ts'
import { snippetRoutes, trackingRoutes } from './tracking/routes.ts'
import { trashRoutes } from './trash/routes.ts'
import { trendRoutes } from './trends/routes.ts'
import { version } from './version.ts'
import { waterfallRoutes } from './waterfall/routes.ts'
import { webhookRoutes } from './webhooks/routes.ts'
import { workspaceRoutes } from './workspaces/routes.ts'
import { writeKeyRoutes } from './write-keys/routes.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Turns acknowledged events into records; tests await `app.ingest.settle()`. */
    ingest: IngestProcessor
  }
  interface FastifyRequest {
    principal: Principal
  }
  interface FastifyContextConfig {
    public?: boolean
  }
}

const webRoot = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../dist/web')

/** JSON endpoints: the REST API and the tracking API; the API docs are pages. */
function isApiUrl(url: string) {
  return (url.startsWith('/api/') && !url.startsWith('/api/docs')) || url.startsWith('/v1/')
}

/** Builds the whole HTTP app (no listen): tests call app.inject(), `tandem start` listens. */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log,
    genReqId: () => randomUUID(),
    requestIdHeader: 'x-request-id',
    bodyLimit: 1024 * 1024,
    trustProxy: true,
    logController: new AccessLog(),
  }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.setErrorHandler(handleError)
  const pageHeaders = pageSecurityHeaders()
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(isApiUrl(request.url) ? apiSecurityHeaders : pageHeaders)
    if (request.protocol === 'https') reply.header(hsts.name, hsts.value)
    reply.header('x-request-id', request.id)
    done()
  })

  await app.register(fastifyCookie)
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError(
        'rate_limited',
        `Too many attempts; try again in ${Math.ceil(context.ttl / 1000)} s`,
      ),
  })
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tandem API',
        version,
        description:
          'REST API of Tandem. Authenticate with `Authorization: Bearer <API key>` (Settings → API keys) or a session cookie (writes then need X-CSRF-Token). Lists answer `{ data, nextCursor }`; errors `{ error: { code, message, details } }`.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'tandem.session_token' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' })
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  await app.register(healthRoutes(ctx))
  const ingestProcessor = new IngestProcessor(ctx.db, ctx.handle.pool, ctx.log)
  const ingestQueue = new IngestQueue(ctx.db, ctx.log, ingestProcessor, {
    maxPending: ctx.env.TANDEM_INGEST_MAX_PENDING,
    maxBacklog: ctx.env.TANDEM_INGEST_MAX_BACKLOG,
  })
  app.decorate('ingest', ingestProcessor)
  app.addHook('onReady', async () => ingestProcessor.start())
  app.addHook('onClose', async () => {
    await ingestQueue.drain()
    await ingestProcessor.stop()
  })
  await app.register(ingestRoutes(ctx, ingestQueue))
  await app.register(snippetRoutes(ctx))
  await app.register(publicFormRoutes(ctx))
  await authRoutes(app, ctx)
  await app.register(
    async (v1) => {
      v1.addHook('preHandler', async (request, reply) => {
        if (request.routeOptions.config.public) return
        request.principal = await authenticate(ctx, request, reply)
      })
      await v1.register(workspaceRoutes(ctx))
      await v1.register(memberRoutes(ctx))
      await v1.register(apiKeyRoutes(ctx))
      await v1.register(auditRoutes(ctx))
      await v1.register(accountRoutes(ctx))
      await v1.register(contactRoutes(ctx))
      await v1.register(privacyRoutes(ctx))
      await v1.register(personaRoutes(ctx))
      await v1.register(teamRoutes(ctx))
      await v1.register(activityRoutes(ctx))
      await v1.register(touchpointRoutes(ctx))
      await v1.register(campaignRoutes(ctx))
      await v1.register(customFieldRoutes(ctx))
      await v1.register(productRoutes(ctx))
      await v1.register(pipelineRoutes(ctx))
      await v1.register(dealRoutes(ctx))
      await v1.register(exchangeRateRoutes(ctx))
      await v1.register(savedViewRoutes(ctx))
      await v1.register(trashRoutes(ctx))
      await v1.register(handoffRoutes(ctx))
      await v1.register(mergeRoutes(ctx))
      await v1.register(exportRoutes(ctx))
      await v1.register(importRoutes(ctx))
      await v1.register(writeKeyRoutes(ctx))
      await v1.register(formRoutes(ctx))
      await v1.register(webhookRoutes(ctx))
      await v1.register(trackingRoutes(ctx))
      await v1.register(identityRoutes(ctx))
      await v1.register(routingRoutes(ctx))
      await v1.register(liveTrackingRoutes(ctx))
      await v1.register(slaRoutes(ctx))
      await v1.register(slaReportRoutes(ctx))
      await v1.register(feedbackRoutes(ctx))
      await v1.register(voiceOfSalesRoutes(ctx))
      await v1.register(funnelRoutes(ctx))
      await v1.register(alignmentRoutes(ctx))
      await v1.register(drillRecordsRoutes(ctx))
      await v1.register(scoringRoutes(ctx))
      await v1.register(attributionRoutes(ctx))
      await v1.register(attributionReportRoutes(ctx))
      await v1.register(predictiveRoutes(ctx))
      await v1.register(fitRoutes(ctx))
      await v1.register(regretRoutes(ctx))
      await v1.register(forecastRoutes(ctx))
      await v1.register(waterfallRoutes(ctx))
      await v1.register(leaderRoutes(ctx))
      await v1.register(outlookRoutes(ctx))
      await v1.register(todayRoutes(ctx))
      await v1.register(targetRoutes(ctx))
      await v1.register(trendRoutes(ctx))
      await v1.register(notificationRoutes(ctx))
      await v1.register(mqlRoutes(ctx))
    },
    { prefix: '/api/v1' },
  )

  const hasWeb = existsSync(path.join(webRoot, 'index.html'))
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false })
  }
  app.setNotFoundHandler((request, reply) => {
    if (!isApiUrl(request.url) && hasWeb && request.method === 'GET')
      return reply.sendFile('index.html')
    const error = new AppError(
      'not_found',
      `No route ${request.method} ${request.url.split('?')[0]}`,
    )
    return handleError(error as never, request, reply)
  })
  return app
}
