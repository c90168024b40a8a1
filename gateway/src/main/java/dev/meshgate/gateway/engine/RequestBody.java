package dev.meshgate.gateway.engine;

import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import reactor.core.publisher.BaseSubscriber;

/**
 * The request body of an {@link EngineCall}, pulled from Reactor Netty one buffer at a time and
 * handed to the engine's exchange; no further buffer is asked for while the engine has paused the
 * downstream (the upstream cannot take more, or the attempt is still connecting).
 */
final class RequestBody extends BaseSubscriber<DataBuffer> {

    private final EngineCall call;
    private boolean paused;
    private boolean owed;

    RequestBody(EngineCall call) {
        this.call = call;
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
        subscription.request(1);
    }

    @Override
    protected void hookOnNext(DataBuffer buffer) {
        call.onLoop(() -> {
            call.exchange().content(new DefaultHttpContent(NettyDataBufferFactory.toByteBuf(buffer)));
            if (paused) {
                owed = true;
            } else {
                request(1);
            }
        });
    }

    @Override
    protected void hookOnComplete() {
        call.onLoop(() -> call.exchange().content(LastHttpContent.EMPTY_LAST_CONTENT));
    }

    @Override
    protected void hookOnError(Throwable failure) {
        call.onLoop(() -> call.exchange().downstreamClosed());
    }

    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
        if (owed) {
            owed = false;
            request(1);
        }
    }
}
