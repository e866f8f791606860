package org.sfc.controller;

import com.google.protobuf.ByteString;

import p4.config.v1.P4InfoOuterClass.P4Info;

/**
 * What a switch runs: the P4Info and the target's device config (BMv2's JSON from p4c, or for sfc's software
 * switch the P4 program text itself).
 */
public record PipelineConfig(P4Info p4info, ByteString deviceConfig) {}
