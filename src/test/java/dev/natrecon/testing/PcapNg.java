package dev.natrecon.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds pcapng files block by block, in either byte order, for reader and router-capture tests. */
public final class PcapNg {

    public final ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    public void block(int type, byte[] body) {
        int len = 12 + ((body.length + 3) & ~3);
        ByteBuffer b = ByteBuffer.allocate(len).order(order);
        b.putInt(type).putInt(len).put(body);
        b.position(len - 4);
        b.putInt(len);
        out.writeBytes(b.array());
    }

    public void section(ByteOrder o) {
        order = o;
        block(0x0a0d0d0a, ByteBuffer.allocate(16).order(o).putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0)
                .putLong(-1).array());
    }

    public void idb(int linkType, String name, Integer tsresol) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(64 + n.length).order(order);
        b.putShort((short) linkType).putShort((short) 0).putInt(0);
        b.putShort((short) 2).putShort((short) n.length).put(n);
        b.position(b.position() + ((4 - n.length % 4) % 4));
        if (tsresol != null) b.putShort((short) 9).putShort((short) 1).put((byte) (int) tsresol).put(new byte[3]);
        b.putShort((short) 0).putShort((short) 0);
        block(1, Arrays.copyOf(b.array(), b.position()));
    }

    public void epb(int iface, long ticks, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(20 + ((data.length + 3) & ~3)).order(order);
        b.putInt(iface).putInt((int) (ticks >>> 32)).putInt((int) ticks).putInt(data.length).putInt(data.length).put(data);
        block(6, b.array());
    }

    public void spb(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + ((data.length + 3) & ~3)).order(order);
        b.putInt(data.length).put(data);
        block(3, b.array());
    }

    public void pb(int iface, long ticks, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(20 + ((data.length + 3) & ~3)).order(order);
        b.putShort((short) iface).putShort((short) 0).putInt((int) (ticks >>> 32)).putInt((int) ticks)
                .putInt(data.length).putInt(data.length).put(data);
        block(2, b.array());
    }

}
