using System.Numerics;
using System.Runtime.ExceptionServices;
using Netty.PySocket.Errors;
using Netty.PySocket.Socket;

namespace Netty.PySocket.Select;

/// <summary>Argument conversions of selectmodule.c / pytime.c with CPython 3.11's exceptions and messages.</summary>
public static class SelectArgs
{
    /// <summary>
    /// CPython's <c>PyObject_AsFileDescriptor</c>: an int (any .NET integer type, bool, BigInteger), a
    /// <see cref="SocketObject"/> or an <see cref="ISelectable"/>. TypeError for anything else, OverflowError outside
    /// C int, ValueError for a negative descriptor (a closed socket object's fileno() is -1).
    /// </summary>
    public static int AsFileDescriptor(object? value)
    {
        long fd = value switch
        {
            SocketObject s => s.Fileno(),
            ISelectable s => s.Fileno(),
            int i => i,
            long l => CheckCInt(l),
            short s => s,
            sbyte s => s,
            byte b => b,
            ushort u => u,
            uint u => CheckCInt(u),
            ulong u => u > int.MaxValue ? throw TooLargeForCInt() : (long)u,
            bool b => b ? 1 : 0,
            BigInteger big => big >= int.MinValue && big <= int.MaxValue ? (long)big : throw TooLargeForCInt(),
            _ => throw PySocketException.TypeError("argument must be an int, or have a fileno() method."),
        };
        if (fd < 0) throw PySocketException.ValueError($"file descriptor cannot be a negative integer ({fd})");
        return (int)fd;
    }

    static long CheckCInt(long v) => v is >= int.MinValue and <= int.MaxValue ? v : throw TooLargeForCInt();

    static PySocketException TooLargeForCInt() => PySocketException.Overflow("Python int too large to convert to C int");

    internal enum Round
    {
        /// <summary>_PyTime_ROUND_CEILING.</summary>
        Ceiling,
        /// <summary>_PyTime_ROUND_TIMEOUT (away from zero).</summary>
        Timeout,
    }

    /// <summary>
    /// pytime.c's _PyTime_FromSecondsObject / _PyTime_FromMillisecondsObject: nanoseconds from a float or int
    /// (<paramref name="unitNs"/> = 1e9 for seconds, 1e6 for milliseconds). TypeError carries the caller's message.
    /// </summary>
    internal static long ToNanoseconds(object value, long unitNs, Round round, string typeError)
    {
        switch (value)
        {
            case double or float or decimal:
            {
                double d = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                if (double.IsNaN(d)) throw PySocketException.ValueError("Invalid value NaN (not a number)");
                d *= unitNs;
                d = round == Round.Ceiling || d >= 0 ? Math.Ceiling(d) : Math.Floor(d);
                // _Py_InIntegralTypeRange(_PyTime_t, d): [INT64_MIN, INT64_MAX] as doubles (2^63 is out).
                if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
                    throw PySocketException.Overflow("timestamp out of range for platform time_t");
                return (long)d;
            }
            case int or long or short or sbyte or byte or ushort or uint or bool or BigInteger or ulong:
            {
                BigInteger v = value switch
                {
                    bool b => b ? 1 : 0,
                    BigInteger big => big,
                    ulong u => u,
                    _ => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
                };
                BigInteger ns = v * unitNs;
                if (v < long.MinValue || v > long.MaxValue || ns < long.MinValue || ns > long.MaxValue)
                    throw PySocketException.Overflow("timestamp too large to convert to C _PyTime_t");
                return (long)ns;
            }
            default:
                throw PySocketException.TypeError(typeError);
        }
    }

    /// <summary>_PyTime_AsMilliseconds with the given rounding.</summary>
    internal static long NanosecondsToMilliseconds(long ns, Round round)
    {
        long ms = ns / 1_000_000;
        long rem = ns % 1_000_000;
        if (rem != 0)
        {
            if (rem > 0) ms++;
            else if (round == Round.Timeout) ms--;
        }
        return ms;
    }

    /// <summary>A deadline <paramref name="ns"/> nanoseconds from now (0 or less: do not wait).</summary>
    internal static Deadline DeadlineFromNanoseconds(long ns) => ns <= 0 ? Deadline.Now : Deadline.FromTimeout(ns / 1e9);

    /// <summary>What leaves a public select method: the host hook's exception unchanged, PySocketException as is, the rest translated.</summary>
    internal static Exception Boundary(Exception ex)
    {
        if (ex is WaitInterruptedException w && w.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(w.InnerException);
        }
        return ex as PySocketException ?? ErrorTable.Translate(ex);
    }
}
