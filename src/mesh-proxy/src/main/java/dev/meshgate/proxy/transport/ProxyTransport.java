package dev.meshgate.proxy.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The event loops and socket types of the data plane: native epoll where the platform has it (fewer
 * syscalls and no selector wake-up garbage), NIO elsewhere. Accepted and upstream connections share
 * the same loops so a request never hops threads.
 */
public final class ProxyTransport {

    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> serverChannelType;
    private final Class<? extends SocketChannel> socketChannelType;
    private final String name;

    private ProxyTransport(EventLoopGroup group, Class<? extends ServerChannel> serverChannelType,
            Class<? extends SocketChannel> socketChannelType, String name) {
        this.group = group;
        this.serverChannelType = serverChannelType;
        this.socketChannelType = socketChannelType;
        this.name = name;
    }

    public static ProxyTransport create(int threads) {
        DefaultThreadFactory threadFactory = new DefaultThreadFactory("mesh-proxy", true);
        if (Epoll.isAvailable()) {
            IoHandlerFactory io = EpollIoHandler.newFactory();
            return new ProxyTransport(new MultiThreadIoEventLoopGroup(threads, threadFactory, io),
                    EpollServerSocketChannel.class, EpollSocketChannel.class, "epoll");
        }
        IoHandlerFactory io = NioIoHandler.newFactory();
        return new ProxyTransport(new MultiThreadIoEventLoopGroup(threads, threadFactory, io),
                NioServerSocketChannel.class, NioSocketChannel.class, "nio");
    }

    public EventLoopGroup group() {
        return group;
    }

    public Class<? extends ServerChannel> serverChannelType() {
        return serverChannelType;
    }

    public Class<? extends SocketChannel> socketChannelType() {
        return socketChannelType;
    }

    public String name() {
        return name;
    }
}
