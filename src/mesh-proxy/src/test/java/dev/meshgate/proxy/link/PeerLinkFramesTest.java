package dev.meshgate.proxy.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2FrameTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.netty.handler.codec.http2.Http2CodecUtil.FRAME_HEADER_LENGTH;
import static io.netty.handler.codec.http2.Http2CodecUtil.SETTINGS_INITIAL_WINDOW_SIZE;
import static io.netty.handler.codec.http2.Http2Flags.END_STREAM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a link cuts the bodies of concurrent exchanges into DATA frames: the frames a peer reads, one
 * HTTP/1.1 chunk each on its way on, are what a large body costs per hop.
 */
class PeerLinkFramesTest {

    private EmbeddedChannel channel;

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    /** One DATA frame as written: its stream, payload length and whether it ended the stream. */
    private record DataFrame(int streamId, int length, boolean endStream) {
    }

    @Test
    void concurrentStreamsSendTheirBodiesInWholeFrames() {
        PeerLink.Codec codec = PeerLink.Codec.create(false, 8192);
        codec.decoder().frameListener(new Http2FrameAdapter());
        channel = new EmbeddedChannel(new Http2ConnectionHandler(codec.decoder(), codec.encoder(), codec.settings()) {
        });
        // the peer's preface: the link's own stream window, and room on the connection for every body
        channel.writeInbound(frame(Http2FrameTypes.SETTINGS, 0, Unpooled.buffer()
                .writeShort(SETTINGS_INITIAL_WINDOW_SIZE).writeInt(PeerLink.STREAM_WINDOW)));
        channel.writeInbound(frame(Http2FrameTypes.WINDOW_UPDATE, 0, Unpooled.buffer().writeInt(PeerLink.CONNECTION_WINDOW)));
        releaseOutbound();

        ChannelHandlerContext ctx = channel.pipeline().firstContext();
        int bodySize = 64 * 1024;
        List<Integer> streams = List.of(3, 5, 7, 9, 11, 13, 15, 17);
        for (int streamId : streams) {
            codec.encoder().writeHeaders(ctx, streamId, new DefaultHttp2Headers().status("200"), 0, false, ctx.newPromise());
            codec.encoder().writeData(ctx, streamId, Unpooled.wrappedBuffer(new byte[bodySize]), 0, true, ctx.newPromise());
        }
        channel.flush();

        Map<Integer, List<DataFrame>> framesByStream = new LinkedHashMap<>();
        for (DataFrame frame : writtenDataFrames()) {
            framesByStream.computeIfAbsent(frame.streamId(), id -> new ArrayList<>()).add(frame);
        }
        assertThat(framesByStream).containsOnlyKeys(streams);
        framesByStream.forEach((streamId, frames) -> {
            assertThat(frames.stream().mapToInt(DataFrame::length).sum()).as("body of stream %d", streamId).isEqualTo(bodySize);
            assertThat(frames.get(frames.size() - 1).endStream()).isTrue();
        });
        // Whole frames, but for a few cut where the channel's write buffer filled during a pass; Netty's
        // default distributor sent about a kilobyte per stream and turn here: 457 frames.
        int wholeFrames = streams.size() * bodySize / Http2CodecUtil.DEFAULT_MAX_FRAME_SIZE;
        int frames = framesByStream.values().stream().mapToInt(List::size).sum();
        assertThat(frames).as("DATA frames for %d bodies of %d bytes", streams.size(), bodySize)
                .isBetween(wholeFrames, wholeFrames * 3 / 2);
    }

    private static ByteBuf frame(byte type, int streamId, ByteBuf payload) {
        ByteBuf frame = Unpooled.buffer(FRAME_HEADER_LENGTH + payload.readableBytes())
                .writeMedium(payload.readableBytes()).writeByte(type).writeByte(0).writeInt(streamId)
                .writeBytes(payload);
        payload.release();
        return frame;
    }

    private void releaseOutbound() {
        for (Object written; (written = channel.readOutbound()) != null; ) {
            ((ByteBuf) written).release();
        }
    }

    /** Parses what the link wrote since the preface into frames and keeps the DATA frames. */
    private List<DataFrame> writtenDataFrames() {
        ByteBuf written = Unpooled.buffer();
        try {
            for (Object chunk; (chunk = channel.readOutbound()) != null; ) {
                ByteBuf buf = (ByteBuf) chunk;
                written.writeBytes(buf);
                buf.release();
            }
            List<DataFrame> frames = new ArrayList<>();
            while (written.readableBytes() >= FRAME_HEADER_LENGTH) {
                int length = written.readUnsignedMedium();
                byte type = written.readByte();
                int flags = written.readUnsignedByte();
                int streamId = written.readInt() & Integer.MAX_VALUE;
                written.skipBytes(length);
                if (type == Http2FrameTypes.DATA) {
                    frames.add(new DataFrame(streamId, length, (flags & END_STREAM) != 0));
                }
            }
            assertThat(written.readableBytes()).as("bytes after the last whole frame").isZero();
            return frames;
        } finally {
            written.release();
        }
    }
}
