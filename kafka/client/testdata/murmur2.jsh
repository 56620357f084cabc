import org.apache.kafka.common.utils.Utils;
for (String s : new String[]{"21","foobar","a-little-bit-long-string","a-little-bit-longer-string","lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8","abc","","k","key1","héllo"}) { byte[] b = s.getBytes("UTF-8"); int h = Utils.murmur2(b); System.out.println(s + "\t" + h + "\t" + (Utils.toPositive(h) % 3) + "\t" + (Utils.toPositive(h) % 7)); }
/exit
