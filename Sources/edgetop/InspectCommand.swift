import ArgumentParser
import EdgeTFLite
import EdgeTrace

/// `edgetop inspect`: what is in a `.tflite` model and how edgetop would run it.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a TensorFlow Lite model's operators, tensors, quantization, MACs and kernels.",
        discussion: """
        Reads MODEL.tflite (schema v3) and prints its inputs and outputs, the labels appended to it, \
        and for every operator its geometry, output tensor (shape, type, quantization), weights, \
        multiply-accumulates and the kernel edgetop's int8 or fp32 backend picks for it; then the \
        total MACs and every operator edgetop cannot run, by index.

        Exit status: 0 when the model was read (even with unsupported operators), 1 for a file \
        that cannot be read or is not a valid model (the message names the file, and the tensor \
        or operator at fault), 2 for bad usage.
        """)

    @Argument(help: "The .tflite model file.")
    var model: String?

    @Flag(help: "Also list every tensor: name, shape, type, constant bytes, quantization.")
    var tensors = false

    func run() throws {
        guard let model else { try TraceCLI.usage("give a .tflite model file", command: "inspect") }
        do {
            let m = try TFLiteModel.read(path: model)
            print(sanitizeLines(m.report(tensors: tensors)), terminator: "")
        } catch let e as TFLiteError {
            TraceCLI.error(e.description)
            throw ExitCode(1)
        }
    }
}
