package dev.meshgate.bench.load;

import dev.meshgate.bench.BenchException;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.util.ReferenceCountUtil;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An open-loop HTTP/1.1 load generator: requests are due at fixed intervals whatever the server does,
 * and each one's latency is measured from when it was due, not from when a connection was free to send
 * it. A stall therefore shows in the percentiles as the queue it causes (the coordinated-omission
 * correction wrk2 applies). Due requests go to any idle keep-alive connection of a fixed pool; when
 * none is idle they wait in order.
 *
 * <p>All state lives on one event loop thread. Epoll is used where available: its timers fire within
 * microseconds, where NIO's selector rounds to milliseconds.
 */
public final class OpenLoopLoad implements AutoCloseable {

    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(10);

    private final EventLoopGroup group;
    private final boolean epoll;

    public OpenLoopLoad() {
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory handler = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(1, handler);
    }

    /** "epoll" or "nio": the report states which timer precision the generator had. */
    public String transport() {
        return epoll ? "epoll" : "nio";
    }

    /**
     * Sends {@code rate} requests a second for {@code warmUp} (not recorded) and then {@code measure}
     * (recorded), over {@code connections} keep-alive connections, and waits for every answer.
     * {@code atMeasureStart} runs on the calling thread when the recorded window opens (to read
     * counters the window is compared against).
     */
    public OpenLoopResult run(int port, String host, String pathAndQuery, int rate, int connections,
                              Duration warmUp, Duration measure, Runnable atMeasureStart) {
        if (rate < 1 || connections < 1) {
            throw new IllegalArgumentException("rate and connections must be positive, were " + rate + " and " + connections);
        }
        EventLoop loop = group.next();
        Run run = new Run(loop, host, pathAndQuery, rate, warmUp, measure);
        run.bootstrap = bootstrap(loop, port, run);
        try {
            for (int i = 0; i < connections; i++) {
                ChannelFuture connected = run.bootstrap.connect().syncUninterruptibly();
                if (!connected.isSuccess()) {
                    throw new BenchException("cannot connect to 127.0.0.1:" + port + ": " + connected.cause());
                }
            }
            long begun = System.nanoTime();
            loop.execute(run::begin);
            long untilMeasure = warmUp.toNanos() - (System.nanoTime() - begun);
            if (untilMeasure > 0) {
                TimeUnit.NANOSECONDS.sleep(untilMeasure);
            }
            atMeasureStart.run();
            long limit = warmUp.plus(measure).plus(DRAIN_LIMIT).toMillis();
            return run.done.get(limit + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted during the fixed-rate run", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new BenchException("fixed-rate run at " + rate + " req/s did not finish: " + e, e);
        } finally {
            run.closeAll();
        }
    }

    private Bootstrap bootstrap(EventLoop loop, int port, Run run) {
        return new Bootstrap()
                .group(loop)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000)
                .remoteAddress(new InetSocketAddress("127.0.0.1", port))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpClientCodec(), new Connection(run));
                    }
                });
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The state of one run; touched only on its event loop. */
    private static final class Run {
        final EventLoop loop;
        final HttpHeaders headers;
        final String pathAndQuery;
        final int rate;
        final long intervalNanos;
        final long warmUpNanos;
        final long totalNanos;
        final ArrayDeque<Connection> idle = new ArrayDeque<>();
        final ArrayDeque<Long> due = new ArrayDeque<>();
        final Histogram responseTime = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        final Histogram serviceTime = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        final CompletableFuture<OpenLoopResult> done = new CompletableFuture<>();
        final Set<Channel> open = ConcurrentHashMap.newKeySet();
        Bootstrap bootstrap;
        volatile boolean closing;
        long startNanos;
        long issued;
        long scheduledInWindow;
        long completedInWindow;
        long failedInWindow;
        int inFlight;
        boolean issuing;

        Run(EventLoop loop, String host, String pathAndQuery, int rate, Duration warmUp, Duration measure) {
            this.loop = loop;
            this.headers = new DefaultHttpHeaders().set(HttpHeaderNames.HOST, host)
                    .set(HttpHeaderNames.USER_AGENT, "meshgate-bench");
            this.pathAndQuery = pathAndQuery;
            this.rate = rate;
            this.intervalNanos = 1_000_000_000L / rate;
            this.warmUpNanos = warmUp.toNanos();
            this.totalNanos = warmUp.plus(measure).toNanos();
        }

        void begin() {
            startNanos = System.nanoTime();
            issuing = true;
            tick();
        }

        /** Queues every request now due, hands queued ones to idle connections, and sleeps until the next is due. */
        void tick() {
            long now = System.nanoTime();
            while (issuing) {
                long offset = issued * intervalNanos;
                if (offset >= totalNanos) {
                    issuing = false;
                    break;
                }
                if (startNanos + offset > now) {
                    break;
                }
                due.add(startNanos + offset);
                if (offset >= warmUpNanos) {
                    scheduledInWindow++;
                }
                issued++;
            }
            dispatch();
            if (issuing) {
                long wait = startNanos + issued * intervalNanos - System.nanoTime();
                loop.schedule(this::tick, Math.max(0, wait), TimeUnit.NANOSECONDS);
            } else {
                maybeFinish();
                loop.schedule(this::giveUp, DRAIN_LIMIT.toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        void dispatch() {
            while (!due.isEmpty() && !idle.isEmpty()) {
                Connection connection = idle.poll();
                if (connection.channel.isActive()) {
                    connection.send(due.poll());
                }
            }
        }

        boolean recorded(long intendedNanos) {
            return intendedNanos - startNanos >= warmUpNanos;
        }

        void completed(Connection connection, long intendedNanos, long sentNanos, boolean ok) {
            long now = System.nanoTime();
            inFlight--;
            if (recorded(intendedNanos)) {
                if (ok) {
                    completedInWindow++;
                    responseTime.recordValue(Math.min(now - intendedNanos, HIGHEST_TRACKABLE_NANOS));
                    serviceTime.recordValue(Math.min(now - sentNanos, HIGHEST_TRACKABLE_NANOS));
                } else {
                    failedInWindow++;
                }
            }
            if (connection != null && connection.channel.isActive()) {
                idle.add(connection);
            }
            dispatch();
            maybeFinish();
        }

        void maybeFinish() {
            if (!issuing && inFlight == 0 && due.isEmpty() && !done.isDone()) {
                finish();
            }
        }

        /** Requests still unanswered after the drain limit count as failed. */
        void giveUp() {
            if (!done.isDone()) {
                failedInWindow += due.stream().filter(this::recorded).count() + inFlight;
                due.clear();
                finish();
            }
        }

        /** A server may close a keep-alive connection after N requests (nginx does after 1,000): open another. */
        void replace() {
            if (!done.isDone() && !closing) {
                bootstrap.connect();
            }
        }

        void closeAll() {
            closing = true;
            for (Channel channel : open) {
                channel.close().syncUninterruptibly();
            }
        }

        void finish() {
            double seconds = (totalNanos - warmUpNanos) / 1e9;
            done.complete(new OpenLoopResult(rate, seconds, scheduledInWindow, completedInWindow, failedInWindow,
                    LatencySummary.of(responseTime), LatencySummary.of(serviceTime)));
        }
    }

    /** One keep-alive connection: one request at a time, the response streamed through and counted. */
    private static final class Connection extends ChannelInboundHandlerAdapter {
        final Run run;
        Channel channel;
        boolean busy;
        boolean ok;
        long intendedNanos;
        long sentNanos;

        Connection(Run run) {
            this.run = run;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            run.open.add(channel);
            run.idle.add(this);
            run.dispatch();
            ctx.fireChannelActive();
        }

        void send(long intended) {
            busy = true;
            ok = false;
            intendedNanos = intended;
            run.inFlight++;
            sentNanos = System.nanoTime();
            channel.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, run.pathAndQuery,
                    Unpooled.EMPTY_BUFFER, run.headers, EmptyHttpHeaders.INSTANCE), channel.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            try {
                if (message instanceof HttpResponse response) {
                    ok = response.status().code() == 200;
                }
                if (message instanceof LastHttpContent && busy) {
                    busy = false;
                    run.completed(this, intendedNanos, sentNanos, ok);
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            run.open.remove(ctx.channel());
            run.idle.remove(this);
            if (busy) {
                busy = false;
                // the server closed mid-exchange: that request failed
                run.completed(null, intendedNanos, sentNanos, false);
            }
            run.replace();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
