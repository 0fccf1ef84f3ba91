package dev.natrecon.alg.sip;

import static dev.natrecon.alg.sip.Msgs.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.alg.sip.Msgs.Invite;
import java.util.List;
import org.junit.jupiter.api.Test;

class SipRewriteDiffTest {
    static List<String> names(List<FieldChange> changes) {
        return changes.stream().map(FieldChange::name).toList();
    }

    @Test
    void linuxRewriteOfAnInviteIsExplainedByItsAddressFields() {
        SipRewriteDiff d = SipRewriteDiff.of(Direction.OUTBOUND, bytes(new Invite().text()), bytes(Invite.linux().text()));
        assertTrue(d.lan().parses() && d.wan().parses());
        assertEquals(List.of("via[0].host", "contact[0].host", "content-length", "sdp.origin.address",
                "sdp.connection.address"), names(d.compactChanges()));
        // The full list also has every enclosing field: the Via value, the Contact, its URI, header lines, the body.
        List<String> all = names(d.changes());
        for (String n : List.of("via[0]", "contact[0]", "contact[0].uri", "body", "sdp.origin", "sdp.connection")) {
            assertTrue(all.contains(n), n + " in " + all);
        }
        FieldChange c = Msgs.change(d, "content-length").orElseThrow();
        assertEquals(Integer.toString(bytes(new Invite().body()).length), c.beforeText());
        assertEquals(Integer.toString(bytes(new Invite().body()).length - 2), c.afterText(), "o= and c= one byte shorter each");
        assertFalse(d.contentLengthBroken(), "Content-Length follows the SDP");
        assertEquals(d.lan(), d.input());
        assertEquals(d.wan(), d.output());
        FieldChange host = Msgs.change(d, "contact[0].host").orElseThrow();
        assertEquals("192.168.1.10", host.beforeText());
        assertEquals("203.0.113.2", host.afterText());
        assertEquals(host.before().text(), new String(d.lan().bytes(), host.before().start(), host.before().length()));
        assertEquals(host.after().text(), new String(d.wan().bytes(), host.after().start(), host.after().length()));
        assertTrue(d.compactText().startsWith("via[0].host: 192.168.1.10 -> 203.0.113.2; contact[0].host:"));
    }

    @Test
    void untouchedMessageHasNoChanges() {
        String t = new Invite().text();
        SipRewriteDiff d = SipRewriteDiff.of(Direction.OUTBOUND, bytes(t), bytes(t));
        assertTrue(d.untouched());
        assertEquals(List.of(), d.changes());
        assertEquals("", d.compactText());
    }

    @Test
    void aPortAddedAfterARewrittenHostIsPartOfTheSameRewrite() {
        Invite lan = new Invite();
        lan.contact = Msgs.PHONE; // no port
        Invite wan = Invite.linux();
        SipRewriteDiff d = SipRewriteDiff.of(Direction.OUTBOUND, bytes(lan.text()), bytes(wan.text()));
        assertEquals(FieldChange.Kind.ADDED, Msgs.change(d, "contact[0].port").orElseThrow().kind());
        List<String> compact = names(d.compactChanges());
        assertTrue(compact.contains("contact[0].host") && compact.contains("contact[0].port"), compact.toString());
        assertFalse(compact.contains("contact[0].uri"), "host and port explain the URI: " + compact);
        assertFalse(compact.contains("contact[0]"), compact.toString());
    }

    @Test
    void aChangeOutsideEveryFieldKeepsItsEnclosingField() {
        Invite lan = new Invite(), wan = new Invite();
        wan.viaParams = ";branch=z9hG4bK-1;rport;alias";
        SipRewriteDiff d = SipRewriteDiff.of(Direction.OUTBOUND, bytes(lan.text()), bytes(wan.text()));
        assertEquals(List.of("via[0]"), names(d.compactChanges()));
    }

    @Test
    void inboundInputIsTheWanCopy() {
        String wan = Msgs.ok(Msgs.ROUTER_EP + ";branch=z9hG4bK-1"), lan = Msgs.ok(Msgs.PHONE_EP + ";branch=z9hG4bK-1");
        SipRewriteDiff d = SipRewriteDiff.of(Direction.INBOUND, bytes(lan), bytes(wan));
        assertSame(d.wan(), d.input());
        FieldChange via = Msgs.change(d, "via[0].host").orElseThrow();
        assertEquals(Msgs.ROUTER, via.beforeText());
        assertEquals(Msgs.PHONE, via.afterText());
    }

    @Test
    void contentLengthIsJudgedOnTheOutput() {
        Invite lan = new Invite();
        Invite wan = Invite.linux();
        wan.contentLength = bytes(lan.body()).length; // the LAN value, not updated
        SipRewriteDiff d = SipRewriteDiff.of(Direction.OUTBOUND, bytes(lan.text()), bytes(wan.text()));
        assertTrue(d.input().contentLengthCorrect());
        assertFalse(d.output().contentLengthCorrect());
        assertTrue(d.contentLengthBroken());
        // Wrong already before the router and left as it was: not the router's doing.
        Invite bad = new Invite();
        bad.contentLength = 5;
        SipRewriteDiff same = SipRewriteDiff.of(Direction.OUTBOUND, bytes(bad.text()), bytes(bad.text()));
        assertFalse(same.input().contentLengthCorrect());
        assertFalse(same.contentLengthBroken());
    }

    @Test
    void aCopyThatDoesNotParseIsComparedByItsHeaderLines() {
        Invite lan = new Invite();
        Invite wan = Invite.linux();
        wan.via = Msgs.ROUTER_EP + ":5060";
        SipRewriteDiff d = SipRewriteDiff.of(Direction.OUTBOUND, bytes(lan.text()), bytes(wan.text()));
        assertTrue(d.input().parses());
        assertFalse(d.output().parses());
        assertFalse(d.lan().parses() && d.wan().parses());
        for (FieldChange c : d.changes()) {
            assertTrue(c.name().equals("start-line") || c.name().startsWith("header[") || c.name().equals("body"), c.name());
        }
        assertTrue(names(d.compactChanges()).contains("header[0]"));
        assertEquals("via[0]", d.output().problemList().get(0).field());
        assertTrue(d.output().problems().get(0).startsWith("sip.header_invalid"), d.output().problems().toString());
    }

    @Test
    void predictionIsComparedByteForByte() {
        byte[] lan = bytes(new Invite().text()), wan = bytes(Invite.linux().text());
        SipRewriteDiff same = SipRewriteDiff.of(Direction.OUTBOUND, lan, wan, wan);
        assertEquals(Boolean.TRUE, same.matchesPrediction().orElseThrow());
        assertEquals(List.of(), same.predictionDifferences());
        Invite predicted = Invite.linux();
        predicted.port = 40002;
        SipRewriteDiff other = SipRewriteDiff.of(Direction.OUTBOUND, lan, wan, bytes(predicted.text()));
        assertEquals(Boolean.FALSE, other.matchesPrediction().orElseThrow());
        assertEquals(List.of("sdp.media[0].port"), names(other.predictionDifferences()));
        assertTrue(SipRewriteDiff.of(Direction.OUTBOUND, lan, wan).matchesPrediction().isEmpty());
    }

    @Test
    void sdpFieldsAreNamedWithTheirPrefix() {
        Invite lan = new Invite(), wan = Invite.linux();
        lan.extraSdp = "a=rtcp:40001 IN IP4 192.168.1.10\n";
        wan.extraSdp = "a=rtcp:40001 IN IP4 203.0.113.2\n";
        SipRewriteDiff d = SipRewriteDiff.of(Direction.OUTBOUND, bytes(lan.text()), bytes(wan.text()));
        assertTrue(names(d.compactChanges()).contains("sdp.media[0].rtcp.address"), names(d.compactChanges()).toString());
    }
}
