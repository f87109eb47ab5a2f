namespace Netty.PySocket.Net;

/// <summary>
/// A Python value of a type the library does not model (a dict, a user class, ...), passed so that error
/// messages can name its Python type exactly as CPython does ("... not Foo").
/// </summary>
/// <param name="TypeName">The Python type name, <c>type(value).__name__</c>.</param>
public sealed record OpaqueValue(string TypeName);
