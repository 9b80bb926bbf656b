package dev.regimen.api.export;

/**
 * A layer whose {@code weight} parameter is stored {@code [in, out]}, so that it computes {@code x W}
 * (Regimen's dense layers), the transpose of PyTorch's {@code nn.Linear.weight} {@code [out, in]}. An
 * export for PyTorch ({@code regimen export --format safetensors}) transposes such a weight; every
 * other array is written as it is (convolution weights are already PyTorch's {@code [outC, inC, kH,
 * kW]}).
 */
public interface InputMajorWeight {}
