package com.emotionmonitor.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** Parses the device setting: {@code auto} (a GPU when DJL sees one, else the CPU), {@code cpu}, {@code gpu[:N]}. */
public final class DeviceSelector {

    private DeviceSelector() {}

    public static Device select(String spec) {
        String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) {
            return Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        }
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("gpu") || s.startsWith("gpu:")) {
            int index = s.equals("gpu") ? 0 : Integer.parseInt(s.substring(4));
            int gpus = Engine.getInstance().getGpuCount();
            if (index >= gpus) {
                throw new IllegalArgumentException("device " + spec + " requested but DJL sees " + gpus + " GPU(s)");
            }
            return Device.gpu(index);
        }
        throw new IllegalArgumentException("unknown device '" + spec + "': expected auto, cpu, gpu or gpu:N");
    }
}
