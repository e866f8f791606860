"""Seed Figure 23 (¶206-208): ISP mode, the subscriber's address chooses the chain and the provider.

Catalog: examples/figure-23.yaml. Port 1 access (subscribers, router ...a1); 2 ids-2351 (copies); 3 av-2352;
4 av-2353 (virus scanners, one port, DSCP tagged); 5/6 fw-2361 outside/inside; 10 nsp-2381 (...1001);
11 nsp-2382 (...1101). subscriber-2321 (100.64.0.21, any protocol): av-2352 (+IDS copy) -> fw -> nsp-2381.
subscriber-2322 (100.64.0.22/.23, tcp): av-2352 (+IDS copy) -> av-2353 -> fw -> nsp-2382.
"""
from sfc_ptf import ScenarioTest, tcp, returned

SWITCH, ACCESS_MAC = "02:00:00:00:fe:01", 0xa1
ACCESS, IDS, AV1, AV2, FW_OUT, FW_IN, NSP1, NSP2 = 1, 2, 3, 4, 5, 6, 10, 11
IDS_MAC, AV1_MAC, AV2_MAC, FW_OUT_MAC, FW_IN_MAC = 0x0201, 0x0301, 0x0401, 0x0501, 0x0601
NSP1_MAC, NSP2_MAC = 0x1001, 0x1101
HOST = "192.0.2.80"


class Figure23(ScenarioTest):
    CATALOG = "examples/figure-23.yaml"


class Subscriber2321OneScannerToProvider2381(Figure23):
    def runTest(self):
        sub = "100.64.0.21"
        to_av = self.hop(ACCESS, tcp(SWITCH, ACCESS_MAC, sub, HOST, 40000, 80), AV1, AV1_MAC, 1,
                         copies={IDS: IDS_MAC})
        to_fw = self.hop(AV1, returned(to_av, AV1_MAC), FW_OUT, FW_OUT_MAC, 2)
        self.hop(FW_IN, returned(to_fw, FW_IN_MAC), NSP1, NSP1_MAC, 0)
        # The provider's reply comes back the same way, reversed, with an IDS copy after the scanner.
        to_fw = self.hop(NSP1, tcp(SWITCH, NSP1_MAC, HOST, sub, 80, 40000, flags="SA"), FW_IN, FW_IN_MAC, 3)
        to_av = self.hop(FW_OUT, returned(to_fw, FW_OUT_MAC), AV1, AV1_MAC, 4)
        self.hop(AV1, returned(to_av, AV1_MAC), ACCESS, ACCESS_MAC, 0, copies={IDS: IDS_MAC})


class Subscriber2322TwoScannersToProvider2382(Figure23):
    def runTest(self):
        for sub in ("100.64.0.22", "100.64.0.23"):
            to_av = self.hop(ACCESS, tcp(SWITCH, ACCESS_MAC, sub, HOST, 40001, 443), AV1, AV1_MAC, 1,
                             copies={IDS: IDS_MAC})
            to_av2 = self.hop(AV1, returned(to_av, AV1_MAC), AV2, AV2_MAC, 2)
            to_fw = self.hop(AV2, returned(to_av2, AV2_MAC), FW_OUT, FW_OUT_MAC, 3)
            self.hop(FW_IN, returned(to_fw, FW_IN_MAC), NSP2, NSP2_MAC, 0)
            to_fw = self.hop(NSP2, tcp(SWITCH, NSP2_MAC, HOST, sub, 443, 40001, flags="SA"), FW_IN, FW_IN_MAC, 4)
            to_av2 = self.hop(FW_OUT, returned(to_fw, FW_OUT_MAC), AV2, AV2_MAC, 5)
            to_av = self.hop(AV2, returned(to_av2, AV2_MAC), AV1, AV1_MAC, 6)
            self.hop(AV1, returned(to_av, AV1_MAC), ACCESS, ACCESS_MAC, 0, copies={IDS: IDS_MAC})


class OtherSourcesAndProtocolsHaveNoChain(Figure23):
    """An unknown subscriber, subscriber-2322 over UDP (its service is tcp), and a subscriber's address
    arriving from a provider: nothing leaves."""

    def runTest(self):
        from sfc_ptf import udp
        self.send(ACCESS, tcp(SWITCH, ACCESS_MAC, "100.64.0.99", HOST, 40000, 80))
        self.send(ACCESS, udp(SWITCH, ACCESS_MAC, "100.64.0.22", HOST, 40000, 53))
        self.send(NSP2, tcp(SWITCH, NSP2_MAC, "100.64.0.22", HOST, 40000, 80))
        self.expect_nothing()
