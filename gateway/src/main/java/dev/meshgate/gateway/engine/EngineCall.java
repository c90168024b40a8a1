package dev.meshgate.gateway.engine;

import dev.meshgate.core.policy.RoutePolicy;
import dev.meshgate.proxy.exchange.Destination;
import dev.meshgate.proxy.exchange.Downstream;
import dev.meshgate.proxy.exchange.Exchange;
import dev.meshgate.proxy.exchange.Router;
import dev.meshgate.proxy.http.ClientAddress;
import dev.meshgate.proxy.http.ProxyError;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One request of Gateway's filter chain carried to its {@code lb://} endpoint by the engine, on the
 * client connection's event loop. It is the exchange's downstream: the response head goes onto the
 * {@link ServerWebExchange} (so route filters see and change it, as after Gateway's own routing),
 * and the body is handed out as a publisher for {@link EngineWriteResponseFilter} to write, with the
 * engine pausing the upstream while Reactor Netty has no demand. The request body is pulled one
 * buffer at a time, so backpressure holds both ways.
 */
final class EngineCall implements Downstream, Router {

    private static final Logger log = LoggerFactory.getLogger(EngineCall.class);

    private final ServerWebExchange web;
    private final EventLoop loop;
    private final ByteBufAllocator alloc;
    private final NettyDataBufferFactory buffers;
    private final Destination destination;
    /** The path the upstream sees (after route filters), which the service's routes match. */
    private final String path;
    private final List<HttpHeadersFilter> headersFilters;
    private final Object[] errorContext;
    private final Exchange exchange;
    private final RequestBody requestBody;
    private MonoSink<Void> headSink;
    private boolean headApplied;
    private boolean interim;
    /** Body parts that arrived before the writer subscribed, in order; bounded since the engine pauses meanwhile. */
    private final ArrayDeque<DataBuffer> early = new ArrayDeque<>(2);
    private FluxSink<DataBuffer> body;
    private boolean bodyComplete;
    private boolean aborted;
    private boolean finished;

    EngineCall(ServerWebExchange web, Channel channel, EdgeEngine engine, Destination destination,
            List<HttpHeadersFilter> headersFilters) {
        this.web = web;
        this.loop = channel.eventLoop();
        this.alloc = channel.alloc();
        this.buffers = new NettyDataBufferFactory(alloc);
        this.destination = destination;
        this.path = web.getRequest().getPath().value();
        this.headersFilters = headersFilters;
        this.errorContext = new Object[] {"path", clientPath(web), "requestId", web.getRequest().getId()};
        this.exchange = new Exchange(engine.listener(channel), this,
                ClientAddress.of(web.getRequest().getRemoteAddress()));
        this.requestBody = new RequestBody(this);
    }

    /** Sends {@code request}; completes once the response head is on the web exchange. */
    Mono<Void> start(HttpRequest request) {
        return Mono.<Void>create(sink -> {
            headSink = sink;
            sink.onCancel(() -> onLoop(this::abandon));
            onLoop(() -> {
                exchange.start(request, this);
                web.getRequest().getBody().subscribe(requestBody);
            });
        });
    }

    /** The response body, for the response writer; empty for an exchange already cut off. */
    Flux<DataBuffer> body() {
        return Flux.<DataBuffer>create(sink -> onLoop(() -> subscribed(sink)));
    }

    private void subscribed(FluxSink<DataBuffer> sink) {
        body = sink;
        sink.onRequest(demand -> onLoop(exchange::downstreamWritable));
        sink.onCancel(() -> onLoop(this::abandon));
        DataBuffer next;
        while ((next = early.poll()) != null) {
            sink.next(next);
        }
        if (aborted) {
            sink.error(new IOException(destination.describe() + " cut the response short"));
        } else if (bodyComplete) {
            sink.complete();
        }
    }

    @Override
    public void route(Exchange routed, HttpRequest request) {
        RoutePolicy route = routed.policy().service(destination.service()).route(request.method().name(), path);
        routed.forward(destination, route);
    }

    // ---- Downstream ----

    @Override
    public void write(Object message) {
        if (message instanceof HttpResponse head) {
            applyHead(head);
        }
        if (message instanceof HttpContent content) {
            content(content);
        } else {
            ReferenceCountUtil.release(message);
        }
    }

    private void applyHead(HttpResponse head) {
        if (head.status().code() < 200) {
            // Gateway's client drops interim responses: so does the edge
            interim = true;
            return;
        }
        ServerHttpResponse response = web.getResponse();
        response.setStatusCode(HttpStatusCode.valueOf(head.status().code()));
        HttpHeaders headers = new HttpHeaders();
        head.headers().forEach(entry -> headers.add(entry.getKey(), entry.getValue()));
        HttpHeaders filtered = HttpHeadersFilter.filter(headersFilters, headers, web, HttpHeadersFilter.Type.RESPONSE);
        // as Gateway's routing filter: Reactor Netty frames the body itself
        filtered.remove(HttpHeaders.TRANSFER_ENCODING);
        if (!response.isCommitted()) {
            response.getHeaders().addAll(filtered);
        }
        headApplied = true;
        headSink.success();
    }

    private void content(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (interim) {
            content.release();
            interim = !last;
            return;
        }
        ByteBuf data = content.content();
        if (data.isReadable()) {
            DataBuffer buffer = buffers.wrap(data);
            if (body != null) {
                body.next(buffer);
            } else {
                early.add(buffer);
            }
        } else {
            data.release();
        }
        if (last) {
            bodyComplete = true;
            if (body != null) {
                body.complete();
            }
        }
    }

    @Override
    public void writeLast(Object message, boolean close) {
        write(message);
    }

    @Override
    public void flush() {
        // Reactor Netty flushes what the writer hands it
    }

    @Override
    public boolean isWritable() {
        return body != null && body.requestedFromDownstream() > 0;
    }

    @Override
    public void pauseReading() {
        requestBody.pause();
    }

    @Override
    public void resumeReading() {
        requestBody.resume();
    }

    @Override
    public void abort() {
        aborted = true;
        if (body != null) {
            body.error(new IOException(destination.describe() + " cut the response short"));
        } else if (!headApplied) {
            headSink.error(new IOException(destination.describe() + " failed before answering"));
        }
    }

    @Override
    public void exchangeFinished() {
        finished = true;
    }

    @Override
    public void failed(ProxyError error, String message, boolean cutOff) {
        log.warn("{} {} ({}): {}", error.status().code(), path, error.code(), message);
    }

    @Override
    public Object[] errorContext() {
        return errorContext;
    }

    @Override
    public ByteBufAllocator alloc() {
        return alloc;
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    /** The client or the chain gave up: whatever the engine still holds is let go. */
    private void abandon() {
        requestBody.cancel();
        DataBuffer next;
        while ((next = early.poll()) != null) {
            DataBufferUtils.release(next);
        }
        if (!finished) {
            finished = true;
            exchange.downstreamClosed();
        }
    }

    /** The path the client asked for, before route filters rewrote it: what error bodies name. */
    private static String clientPath(ServerWebExchange web) {
        Set<URI> original = web.getAttribute(ServerWebExchangeUtils.GATEWAY_ORIGINAL_REQUEST_URL_ATTR);
        return original == null || original.isEmpty() ? web.getRequest().getPath().value()
                : original.iterator().next().getRawPath();
    }

    void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    Exchange exchange() {
        return exchange;
    }
}
