"""What every scenario shares: the catalog it applies with `sfc`, the devices it plays, packet builders.

A scenario is a PTF test class deriving from ScenarioTest with CATALOG set to a catalog file (relative to the
repository). Before each test the catalog is applied through the controller daemon with
`sfc catalog apply --controller ...`, and the test waits until every device the controller probes is healthy.

The devices are played by the test. Payload traffic is the test's business (it polls what the switch sends a
device and sends back what the device would). Heartbeats are answered here, in PTF's receive thread, the way
the device would answer them, so the tests never see them: a loop probe (UDP to the switch's probe address)
leaves the device on its other side (a one-port device: the same port); a TCP probe (a SYN) gets a SYN-ACK
from the device; the controller's closing RST is absorbed. A silenced device answers nothing (it "failed").
"""
import os
import re
import subprocess
import tempfile
import threading
import time

import ptf
import ptf.testutils as tu
import yaml
from ptf.base_tests import BaseTest
from ptf.dataplane import match_exp_pkt
from ptf.mask import Mask
from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.l2 import ARP, Ether
from scapy.packet import Raw

from sfc_api import Api

PKT_LEN = 100  # every test frame is padded to this length (Ethernet header included)


def param(key):
    value = tu.test_param_get(key)
    if value is None:
        raise RuntimeError("test parameter '%s' missing: run the scenarios with ptf-scenarios/run.sh" % key)
    return value


def root_path(*parts):
    return os.path.join(param("root"), *parts)


# ---------------------------------------------------------------------------------------------- packets

def mac(value):
    """'00:00:00:00:00:f0' from 0xf0 (the examples' MACs are small numbers)."""
    if isinstance(value, str):
        return value
    return ":".join("%02x" % ((value >> s) & 0xFF) for s in range(40, -8, -8))


def _pad(pkt):
    missing = PKT_LEN - len(pkt)
    return pkt / Raw(b"\x00" * missing) if missing > 0 else pkt


def tcp(dst_mac, src_mac, src, dst, sport, dport, dscp=0, ttl=64, flags="S", payload=b""):
    """An Ethernet/IPv4/TCP frame of PKT_LEN bytes (payload zero-padded)."""
    pkt = Ether(dst=mac(dst_mac), src=mac(src_mac)) / IP(src=src, dst=dst, tos=dscp << 2, ttl=ttl, id=1) \
        / TCP(sport=sport, dport=dport, flags=flags, seq=1000, window=8192)
    if payload:
        pkt = pkt / Raw(payload)
    return _pad(pkt)


def udp(dst_mac, src_mac, src, dst, sport, dport, dscp=0, ttl=64, payload=b""):
    pkt = Ether(dst=mac(dst_mac), src=mac(src_mac)) / IP(src=src, dst=dst, tos=dscp << 2, ttl=ttl, id=1) \
        / UDP(sport=sport, dport=dport)
    if payload:
        pkt = pkt / Raw(payload)
    return _pad(pkt)


def rewrite(pkt, dst_mac=None, src_mac=None, dscp=None, src=None, dst=None, sport=None, dport=None):
    """A copy of pkt with the given fields changed and its checksums recomputed (as the switch must)."""
    p = pkt.copy()
    if dst_mac is not None:
        p[Ether].dst = mac(dst_mac)
    if src_mac is not None:
        p[Ether].src = mac(src_mac)
    if dscp is not None:
        p[IP].tos = (dscp << 2) | (p[IP].tos & 3)
    if src is not None:
        p[IP].src = src
    if dst is not None:
        p[IP].dst = dst
    l4 = p[TCP] if TCP in p else p[UDP]
    if sport is not None:
        l4.sport = sport
    if dport is not None:
        l4.dport = dport
    del p[IP].chksum
    del l4.chksum
    return Ether(bytes(p))


def announcement(ip, switch_mac="02:00:00:00:fe:01"):
    """The gratuitous ARP the controller sends out of the uplinks for an address the switch takes on (RFC 5227:
    a broadcast request whose sender and target address are the address), padded to 60 bytes."""
    return Ether(dst="ff:ff:ff:ff:ff:ff", src=switch_mac) \
        / ARP(op=1, hwsrc=switch_mac, psrc=ip, hwdst="00:00:00:00:00:00", pdst=ip) / Raw(b"\x00" * 18)


def returned(frame, device_mac, switch_mac="02:00:00:00:fe:01"):
    """What a device sends back after passing frame through: addressed to the switch, from its own MAC."""
    return rewrite(frame, dst_mac=switch_mac, src_mac=device_mac)


# ---------------------------------------------------------------------------------------------- catalogs

def without_services(text):
    """A catalog's text with an empty services section (the rest as it is)."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if re.match(r"^services:\s*(#.*)?$", line):
            out.append("services: {}\n")
            skipping = True
            continue
        if skipping and line.strip() and not line[0].isspace() and not line.startswith("#"):
            skipping = False
        if not skipping:
            out.append(line)
    return "".join(out)


class Catalog:
    """What the scenarios need to know of a catalog file: the switch's MACs and probe address, the devices."""

    def __init__(self, path):
        with open(path) as f:
            doc = yaml.safe_load(f)
        sw = doc["switch"]
        self.switch_mac = sw["mac"]
        self.probe_ip = sw.get("probe-ip", "198.18.0.1")
        self.uplinks = {u["name"]: (u["port"], u["router-mac"]) for u in sw["uplinks"]}
        self.devices = {}  # id -> (outside port, inside port)
        for name, d in (doc.get("devices") or {}).items():
            if "outside" in d:
                self.devices[name] = (d["outside"]["port"], d["inside"]["port"])
            else:
                self.devices[name] = (d["port"], d["port"])


# ---------------------------------------------------------------------------------------------- devices

class DevicePlayer:
    """Answers the controller's heartbeats for the devices the tests play, unless a device is silenced.

    Loop probes name their device and path in the payload ("sfc heartbeat fw-1 outside->inside 7"), so they are
    passed through by the device they name, with its ports from the latest catalog that had it; handshakes are
    answered on the port they came in on. So probes of the catalog the controller still runs while the next
    one is being applied are answered the way its devices would (no false failures between scenarios).
    """

    _installed = None

    @classmethod
    def on(cls, dataplane):
        if cls._installed is None or cls._installed.dataplane is not dataplane:
            cls._installed = DevicePlayer(dataplane)
        return cls._installed

    def __init__(self, dataplane):
        self.dataplane = dataplane
        self.lock = threading.Lock()
        self.probe_ips = set()
        self.known = {}     # device -> (outside port, inside port), from every catalog played so far
        self.by_port = {}   # port -> device, in the current catalog
        self.last_on_port = {}  # port -> device, in the latest catalog that used the port
        self.silent = set()
        for port in dataplane.ports.values():
            self._wrap(port)

    def play(self, catalog):
        with self.lock:
            self.probe_ips.add(bytes(int(x) for x in catalog.probe_ip.split(".")))
            self.known.update(catalog.devices)
            self.by_port = {}
            for name, (outside, inside) in catalog.devices.items():
                self.by_port[outside] = name
                self.by_port[inside] = name
            self.last_on_port.update(self.by_port)
            self.silent = set()

    def silence(self, device):
        with self.lock:
            self.silent.add(device)

    def revive(self, device):
        with self.lock:
            self.silent.discard(device)

    def _wrap(self, port):
        receive = port.recv

        def recv():
            got = receive()
            if got is not None and self._absorbed(got[1], got[2]):
                return None  # PTF's receive loop skips it: the tests never see heartbeats
            return got

        port.recv = recv

    def _absorbed(self, port_number, frame):
        if len(frame) < 34 or frame[12:14] != b"\x08\x00":
            return False
        with self.lock:
            if frame[26:30] not in self.probe_ips and frame[30:34] not in self.probe_ips:
                return False
            proto = frame[23]
            l4 = 14 + (frame[14] & 0x0F) * 4
            if proto == 17:
                words = frame[l4 + 8:].split(b"\x00")[0].decode(errors="replace").split()
                device = words[2] if len(words) >= 4 and words[:2] == ["sfc", "heartbeat"] else None
                path = words[3] if device else ""
                outside, inside = self.known.get(device, (port_number, port_number))
                back = inside if path == "outside->inside" else outside if path == "inside->outside" else port_number
            else:  # a handshake: answered on the port it came in on, by whoever has that port now (or last had it)
                device, back = self.by_port.get(port_number) or self.last_on_port.get(port_number), port_number
            if device is None or device in self.silent:
                return True
        if proto == 17:
            self._send(back, frame)  # through the device and out of the side the probe is for, unchanged
        elif proto == 6:
            flags = frame[l4 + 13]
            if flags & 0x02 and not flags & 0x10:  # a SYN: the server accepts (the controller's RST is absorbed)
                syn = Ether(frame)
                answer = Ether(dst=syn[Ether].src, src=syn[Ether].dst) / IP(src=syn[IP].dst, dst=syn[IP].src) \
                    / TCP(sport=syn[TCP].dport, dport=syn[TCP].sport, flags="SA", seq=7000, ack=syn[TCP].seq + 1)
                self._send(back, bytes(answer))
        return True

    def _send(self, port_number, frame):
        port = self.dataplane.ports.get((0, port_number))
        if port is not None:
            port.send(bytes(frame))


# ---------------------------------------------------------------------------------------------- the test base

class ScenarioTest(BaseTest):
    """A scenario: applies CATALOG through the controller before each test and plays its devices."""

    CATALOG = None  # e.g. "examples/figure-7.yaml"

    def setUp(self):
        BaseTest.setUp(self)
        self.dataplane = ptf.dataplane_instance
        self.api = Api(param("controller"), param("token_file"))
        self.catalog = Catalog(root_path(self.CATALOG))
        self.player = DevicePlayer.on(self.dataplane)
        self.player.play(self.catalog)
        # From a switch carrying none of the scenario's services: each starts at step version 0 (tags as the
        # scenario spells them), whatever the scenario before did with services of the same names.
        self.apply_text(without_services(open(root_path(self.CATALOG)).read()), note="ptf reset")
        self.apply(self.CATALOG, note="ptf " + type(self).__name__)
        self.wait_devices(lambda s: s in ("healthy", "unprobed"), "healthy")
        self.dataplane.flush()

    # -- the sfc command, through the controller daemon

    def sfc(self, *args, check=True, direct=False, token_file=None):
        """Runs the sfc command through the controller daemon, as the operator or (token_file) as the user whose
        token that file holds; or, direct=True, as a controller of its own."""
        env = dict(os.environ)
        env.pop("SFC_CONTROLLER", None)
        extra = []
        if not direct:
            env["SFC_CONTROLLER"] = param("controller")
            extra = ["--token-file", token_file or param("token_file")]
        r = subprocess.run([root_path("sfc")] + list(args) + extra, env=env, capture_output=True, text=True,
                           timeout=120)
        if check and r.returncode != 0:
            self.fail("sfc %s exited %d:\n%s%s" % (" ".join(args), r.returncode, r.stdout, r.stderr))
        return r

    def apply(self, catalog, note):
        return self.sfc("catalog", "apply", root_path(catalog), "--note", note)

    def apply_text(self, text, note):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", prefix="sfc-ptf-") as f:
            f.write(text)
            f.flush()
            return self.sfc("catalog", "apply", f.name, "--note", note)

    def wait_devices(self, accept, what, devices=None, timeout=10.0):
        """Waits until every device (or the given ones) is in a state accept() takes; fails naming the others."""
        deadline = time.time() + timeout
        while True:
            states = self.api.devices()
            wanted = devices or self.catalog.devices.keys()
            pending = {d: states.get(d) for d in wanted if not accept(states.get(d))}
            if not pending:
                return states
            if time.time() > deadline:
                self.fail("devices not %s after %.0fs: %s" % (what, timeout, pending))
            time.sleep(0.1)

    # -- packets

    def send(self, port, pkt):
        tu.send_packet(self, port, bytes(pkt))

    def expect(self, pkt, port, timeout=2.0):
        """The next frame to leave on port must be exactly pkt (a frame or a ptf Mask); returns it."""
        got = self.receive(port, timeout)
        if not match_exp_pkt(pkt, bytes(got)):
            want = pkt.exp_pkt if isinstance(pkt, Mask) else pkt
            self.fail("port %d: a different frame left\n  expected %s\n  got      %s\n  expected %s\n  got      %s"
                      % (port, Ether(bytes(want)).summary(), got.summary(), bytes(want).hex(), bytes(got).hex()))
        return got

    def expect_only(self, pkts_by_port):
        """Exactly these frames leave, one on each given port, and nothing else leaves anywhere."""
        got = {port: self.expect(pkt, port) for port, pkt in pkts_by_port.items()}
        self.expect_nothing()
        return got

    def hop(self, port, frame, out_port, out_mac, dscp=None, copies=None, **changes):
        """Sends frame in on port. Exactly one frame must leave on out_port: frame with the next hop's MAC
        (out_mac), the switch's MAC as source, the tag dscp and the given changes (dst=, sport=, ...); and a copy
        of frame as it came in (MACs rewritten) on each port of copies {port: mac}; nothing else anywhere.
        Returns what left on out_port."""
        self.send(port, frame)
        expected = {out_port: rewrite(frame, dst_mac=out_mac, src_mac=self.catalog.switch_mac, dscp=dscp, **changes)}
        for copy_port, copy_mac in (copies or {}).items():
            expected[copy_port] = rewrite(frame, dst_mac=copy_mac, src_mac=self.catalog.switch_mac)
        return self.expect_only(expected)[out_port]

    def through_firewall(self, service_ip, fw, server, sport=40000, dport=443, client="198.51.100.7", uplink=1,
                         router=0xa1, version=0):
        """A client's request to service_ip:dport enters on the uplink and must cross the two-port firewall
        fw = (outside port, inside port, outside MAC, inside MAC) from outside to inside (tag 1), then reach the
        server = (port, MAC) untagged; the server's reply must cross the firewall back (tag 3) to the router.
        Every hop exactly, nothing else anywhere. version: the service's step version (1 after a change of its
        chain: the tags are 33 and 35)."""
        out_port, in_port, out_mac, in_mac = fw
        server_port, server_mac = server
        switch = self.catalog.switch_mac
        to_fw = self.hop(uplink, tcp(switch, router, client, service_ip, sport, dport), out_port, out_mac,
                         1 + 32 * version)
        self.hop(in_port, returned(to_fw, in_mac, switch), server_port, server_mac, 0)
        reply = tcp(switch, server_mac, service_ip, client, dport, sport, flags="SA")
        to_fw = self.hop(server_port, reply, in_port, in_mac, 3 + 32 * version)
        self.hop(out_port, returned(to_fw, out_mac, switch), uplink, router, 0)

    def expect_nothing(self):
        """Nothing (else) leaves on any port."""
        tu.verify_no_other_packets(self)

    def receive(self, port, timeout=2.0):
        """Whatever frame leaves on port next (the test then plays the device with it)."""
        result = self.dataplane.poll(port_number=port, timeout=timeout)
        if isinstance(result, self.dataplane.PollFailure):
            self.fail("nothing left on port %d: %s" % (port, result.format()))
        return Ether(result.packet)
