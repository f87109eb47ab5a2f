using System.Formats.Asn1;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Netty.PySocket.Ssl;

/// <summary>
/// CPython's <c>_decode_certificate</c> over a DER certificate: the getpeercert() dict with the same keys, order,
/// tuple nesting (tuples are object[]), OpenSSL long names and ASN1_TIME_print dates.
/// </summary>
public static class CertDecoder
{
    static readonly Dictionary<string, string> Names = new()
    {
        ["2.5.4.3"] = "commonName", ["2.5.4.4"] = "surname", ["2.5.4.5"] = "serialNumber", ["2.5.4.6"] = "countryName",
        ["2.5.4.7"] = "localityName", ["2.5.4.8"] = "stateOrProvinceName", ["2.5.4.9"] = "streetAddress",
        ["2.5.4.10"] = "organizationName", ["2.5.4.11"] = "organizationalUnitName", ["2.5.4.12"] = "title",
        ["2.5.4.13"] = "description", ["2.5.4.17"] = "postalCode", ["2.5.4.42"] = "givenName", ["2.5.4.43"] = "initials",
        ["2.5.4.44"] = "generationQualifier", ["2.5.4.46"] = "dnQualifier", ["2.5.4.65"] = "pseudonym",
        ["2.5.4.15"] = "businessCategory", ["2.5.4.97"] = "organizationIdentifier",
        ["1.2.840.113549.1.9.1"] = "emailAddress", ["0.9.2342.19200300.100.1.25"] = "domainComponent",
        ["0.9.2342.19200300.100.1.1"] = "userId", ["1.3.6.1.4.1.311.60.2.1.3"] = "jurisdictionCountryName",
        ["1.3.6.1.4.1.311.60.2.1.2"] = "jurisdictionStateOrProvinceName", ["1.3.6.1.4.1.311.60.2.1.1"] = "jurisdictionLocalityName",
    };

    /// <summary>getpeercert() for a DER certificate.</summary>
    public static Dictionary<string, object> Decode(byte[] der)
    {
        var result = new Dictionary<string, object>();
        var cert = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        AsnReader tbs = cert.ReadSequence();
        int version = 0;
        if (tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            AsnReader v = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
            version = (int)v.ReadInteger();
        }
        BigInteger serial = tbs.ReadInteger();
        tbs.ReadSequence(); // signature algorithm
        object[] issuer = DecodeName(tbs.ReadEncodedValue());
        AsnReader validity = tbs.ReadSequence();
        DateTimeOffset notBefore = ReadTime(validity), notAfter = ReadTime(validity);
        object[] subject = DecodeName(tbs.ReadEncodedValue());
        tbs.ReadEncodedValue(); // subjectPublicKeyInfo
        byte[]? extensions = null;
        while (tbs.HasData)
        {
            Asn1Tag tag = tbs.PeekTag();
            if (tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 3)))
            {
                extensions = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 3)).ReadEncodedValue().ToArray();
            }
            else
            {
                tbs.ReadEncodedValue();
            }
        }
        result["subject"] = subject;
        result["issuer"] = issuer;
        result["version"] = version + 1;
        result["serialNumber"] = SerialHex(serial);
        result["notBefore"] = FormatTime(notBefore);
        result["notAfter"] = FormatTime(notAfter);
        if (extensions is not null)
        {
            object[]? san = null;
            List<object>? ocsp = null, caIssuers = null, crl = null;
            foreach ((string oid, byte[] value) in Extensions(extensions))
            {
                switch (oid)
                {
                    case "2.5.29.17":
                        san = DecodeGeneralNames(value);
                        break;
                    case "1.3.6.1.5.5.7.1.1":
                        AsnReader aia = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
                        while (aia.HasData)
                        {
                            AsnReader ad = aia.ReadSequence();
                            string method = ad.ReadObjectIdentifier();
                            Asn1Tag t = ad.PeekTag();
                            if (t.TagClass != TagClass.ContextSpecific || t.TagValue != 6)
                            {
                                ad.ReadEncodedValue();
                                continue;
                            }
                            string uri = ad.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 6));
                            if (method == "1.3.6.1.5.5.7.48.1") (ocsp ??= []).Add(uri);
                            else if (method == "1.3.6.1.5.5.7.48.2") (caIssuers ??= []).Add(uri);
                        }
                        break;
                    case "2.5.29.31":
                        AsnReader dps = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
                        while (dps.HasData)
                        {
                            AsnReader dp = dps.ReadSequence();
                            if (!dp.HasData || !dp.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0))) continue;
                            AsnReader dpn = dp.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
                            if (!dpn.HasData || !dpn.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0))) continue;
                            AsnReader full = dpn.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
                            while (full.HasData)
                            {
                                Asn1Tag t = full.PeekTag();
                                if (t.TagClass == TagClass.ContextSpecific && t.TagValue == 6)
                                    (crl ??= []).Add(full.ReadCharacterString(UniversalTagNumber.IA5String, t));
                                else full.ReadEncodedValue();
                            }
                        }
                        break;
                }
            }
            if (san is not null) result["subjectAltName"] = san;
            if (ocsp is not null) result["OCSP"] = ocsp.ToArray();
            if (caIssuers is not null) result["caIssuers"] = caIssuers.ToArray();
            if (crl is not null) result["crlDistributionPoints"] = crl.ToArray();
        }
        return result;
    }

    /// <summary><c>_ssl._test_decode_cert(path)</c>: the first certificate of a PEM file.</summary>
    public static Dictionary<string, object> DecodeFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            throw SslErrors.Make(Errors.PyErrorKind.SSLError, 0, $"Can't open file", null);
        }
        return Decode(SslModule.PEM_cert_to_DER_cert(text));
    }

    /// <summary>The subjectAltName tuple of a DER certificate, or null without the extension.</summary>
    internal static object[]? SubjectAltNames(byte[] der)
    {
        var d = Decode(der);
        return d.TryGetValue("subjectAltName", out object? v) ? (object[])v : null;
    }

    static IEnumerable<(string Oid, byte[] Value)> Extensions(byte[] encoded)
    {
        var list = new List<(string, byte[])>();
        AsnReader exts = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence();
        while (exts.HasData)
        {
            AsnReader ext = exts.ReadSequence();
            string oid = ext.ReadObjectIdentifier();
            if (ext.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean)) ext.ReadBoolean();
            list.Add((oid, ext.ReadOctetString()));
        }
        return list;
    }

    static object[] DecodeGeneralNames(byte[] value)
    {
        var names = new List<object>();
        AsnReader seq = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
        while (seq.HasData)
        {
            Asn1Tag t = seq.PeekTag();
            switch (t.TagValue)
            {
                case 1:
                    names.Add(new object[] { "email", seq.ReadCharacterString(UniversalTagNumber.IA5String, t) });
                    break;
                case 2:
                    names.Add(new object[] { "DNS", seq.ReadCharacterString(UniversalTagNumber.IA5String, t) });
                    break;
                case 6:
                    names.Add(new object[] { "URI", seq.ReadCharacterString(UniversalTagNumber.IA5String, t) });
                    break;
                case 7:
                    byte[] ip = seq.ReadOctetString(t);
                    names.Add(new object[] { "IP Address", FormatIp(ip) });
                    break;
                case 4:
                    AsnReader dn = seq.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 4, true));
                    names.Add(new object[] { "DirName", DecodeName(dn.ReadEncodedValue()) });
                    break;
                case 8:
                    names.Add(new object[] { "Registered ID", seq.ReadObjectIdentifier(t) });
                    break;
                default:
                    seq.ReadEncodedValue();
                    names.Add(new object[] { t.TagValue == 0 ? "othername" : t.TagValue == 3 ? "X400Name" : "EdiPartyName", "<unsupported>" });
                    break;
            }
        }
        return names.ToArray();
    }

    static string FormatIp(byte[] ip) => ip.Length switch
    {
        4 => $"{ip[0]}.{ip[1]}.{ip[2]}.{ip[3]}",
        16 => string.Join(':', Enumerable.Range(0, 8).Select(i => ((ip[2 * i] << 8) | ip[2 * i + 1]).ToString("X", CultureInfo.InvariantCulture))),
        _ => "<invalid>",
    };

    static object[] DecodeName(ReadOnlyMemory<byte> encoded)
    {
        var rdns = new List<object>();
        AsnReader name = new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence();
        while (name.HasData)
        {
            AsnReader set = name.ReadSetOf(skipSortOrderValidation: true);
            var attrs = new List<object>();
            while (set.HasData)
            {
                AsnReader atv = set.ReadSequence();
                string oid = atv.ReadObjectIdentifier();
                attrs.Add(new object[] { Names.TryGetValue(oid, out string? n) ? n : oid, ReadString(atv) });
            }
            rdns.Add(attrs.ToArray());
        }
        return rdns.ToArray();
    }

    static string ReadString(AsnReader r)
    {
        Asn1Tag t = r.PeekTag();
        if (t.TagClass == TagClass.Universal)
        {
            switch ((UniversalTagNumber)t.TagValue)
            {
                case UniversalTagNumber.UTF8String:
                case UniversalTagNumber.PrintableString:
                case UniversalTagNumber.IA5String:
                case UniversalTagNumber.BMPString:
                case UniversalTagNumber.NumericString:
                case UniversalTagNumber.VisibleString:
                    return r.ReadCharacterString((UniversalTagNumber)t.TagValue);
                case UniversalTagNumber.T61String:
                    return Encoding.Latin1.GetString(Contents(r));
                case UniversalTagNumber.UniversalString:
                    return new UTF32Encoding(bigEndian: true, byteOrderMark: false).GetString(Contents(r));
            }
        }
        return Convert.ToHexString(r.ReadEncodedValue().Span);
    }

    /// <summary>The content octets of the next value, whatever its (string) tag: ReadOctetString only accepts OCTET STRING's number.</summary>
    static byte[] Contents(AsnReader r)
    {
        ReadOnlyMemory<byte> encoded = r.ReadEncodedValue();
        AsnDecoder.ReadEncodedValue(encoded.Span, AsnEncodingRules.BER, out int offset, out int length, out _);
        return encoded.Span.Slice(offset, length).ToArray();
    }

    static DateTimeOffset ReadTime(AsnReader r) =>
        r.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? r.ReadUtcTime(2049) : r.ReadGeneralizedTime();

    /// <summary>ASN1_TIME_print: "Jan  5 09:34:43 2018 GMT".</summary>
    internal static string FormatTime(DateTimeOffset t)
    {
        t = t.ToUniversalTime();
        string month = CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedMonthName(t.Month);
        return string.Create(CultureInfo.InvariantCulture, $"{month} {t.Day,2} {t:HH:mm:ss} {t.Year} GMT");
    }

    /// <summary>i2a_ASN1_INTEGER: the magnitude's bytes as upper-case hex ("00" for zero, "-" when negative).</summary>
    static string SerialHex(BigInteger serial)
    {
        bool negative = serial.Sign < 0;
        byte[] mag = BigInteger.Abs(serial).ToByteArray(isUnsigned: true, isBigEndian: true);
        string hex = mag.Length == 0 ? "00" : Convert.ToHexString(mag);
        return negative ? "-" + hex : hex;
    }
}
