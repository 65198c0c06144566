"""The Litestar application factory."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from litestar import Litestar, Request
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, SwaggerRenderPlugin
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from prometheus_client import REGISTRY

from api.db.listener import Listener
from api.db.pool import Db, make_pool, open_db
from api.errors import EXCEPTION_HANDLERS
from api.events import EventHub
from api.menu_cache import MenuCache
from api.observability import (
    CronCollector,
    PoolCollector,
    QueueCollector,
    StreamCollector,
    configure_logging,
    request_id_middleware,
)
from api.routes import auth as auth_routes
from api.routes import (
    catalog,
    health,
    kds_page,
    kitchen,
    meta,
    orders,
    platform,
    streams,
    tenancy,
    webhooks,
)
from api.settings import Settings, get_settings


async def provide_db(state: State, request: Request) -> AsyncGenerator[Db, None]:
    """One pooled connection per request; claims are verified before it is borrowed."""
    async with open_db(state, request) as db:
        yield db


class MetricsController(PrometheusController):
    path = "/metrics"
    include_in_schema = False


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    if not settings.jwt_secret:
        raise RuntimeError("BRIGADE_JWT_SECRET is not set: tokens could not be signed")
    configure_logging(settings.log_level)
    pool = make_pool(settings)
    collector = PoolCollector(pool)
    listener = Listener(settings.api_url, settings.connect_timeout)
    menus = MenuCache(listener)
    events = EventHub(pool, listener, settings.events_poll_seconds)
    stream_metrics = StreamCollector(events, listener)
    queue_metrics = QueueCollector(pool)
    cron_metrics = CronCollector(pool)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        await pool.open(wait=False)  # start even while the database is down; /readyz tells
        REGISTRY.register(collector)
        REGISTRY.register(stream_metrics)
        listener.start()
        events.start()
        queue_metrics.start()
        cron_metrics.start()
        try:
            yield
        finally:
            await listener.stop()
            await events.stop()
            await queue_metrics.stop()
            await cron_metrics.stop()
            REGISTRY.unregister(collector)
            REGISTRY.unregister(stream_metrics)
            await pool.close()

    prometheus = PrometheusConfig(
        app_name="brigade",
        prefix="brigade",
        group_path=True,
        exclude_unhandled_paths=True,
        exclude=["/metrics"],
    )
    return Litestar(
        route_handlers=[
            *health.ROUTES,
            *meta.ROUTES,
            *auth_routes.ROUTES,
            *platform.ROUTES,
            *tenancy.ROUTES,
            *catalog.ROUTES,
            *webhooks.ROUTES,
            *orders.ROUTES,
            *kitchen.ROUTES,
            *streams.ROUTES,
            *kds_page.ROUTES,
            MetricsController,
        ],
        dependencies={"db": Provide(provide_db)},
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        middleware=[request_id_middleware, prometheus.middleware],
        lifespan=[lifespan],
        state=State({"settings": settings, "pool": pool, "menus": menus, "events": events}),
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="Brigade API",
            version="1.0.0",
            path="/schema",
            render_plugins=[JsonRenderPlugin(), SwaggerRenderPlugin()],
        ),
        logging_config=None,
        debug=False,
    )
